import { Effect } from 'effect'
import { data } from 'react-router'
import { Runtime } from '../runtime.server'
import { RunsService } from '../services/runs'
import { SessionService } from '../services/session'

// The service method fails the program without a user, before the runs are read.
export async function loader(args: { request: Request; params: { id?: string } }) {
  const program = Effect.gen(function* () {
    const session = yield* SessionService
    const runs = yield* RunsService
    const { userId } = yield* session.requireUser(args)
    return yield* runs.list(userId)
  })
  const result = await Runtime.runPromise(
    program.pipe(Effect.catchTag('NotSignedIn', (e) => Effect.succeed(e.message))),
  )
  if (typeof result === 'string') throw data(result, { status: 401 })
  return result
}
