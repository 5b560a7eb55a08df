import { Layer, ManagedRuntime } from 'effect'
import { SessionService } from './services/session'
import { RunsService } from './services/runs'

export const Runtime = ManagedRuntime.make(Layer.mergeAll(SessionService.Default, RunsService.Default))
