import { Effect } from 'effect'
import { db } from '../db.server'

export class RunsService extends Effect.Service<RunsService>()('RunsService', {
  effect: Effect.gen(function* () {
    const list = Effect.fn('RunsService.list')(function* (userId: string | null) {
      return yield* Effect.promise(() => db.runs.forUser(userId))
    })
    return { list }
  }),
}) {}
