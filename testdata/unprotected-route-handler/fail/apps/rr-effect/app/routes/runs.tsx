import { Effect } from 'effect'
import { Runtime } from '../runtime.server'
import { RunsService } from '../services/runs'
import { SessionService } from '../services/session'

// Reads the session but never fails the program without a user.
export async function loader(args: { request: Request }) { // expect: unprotected-route-handler
  const program = Effect.gen(function* () {
    const session = yield* SessionService
    const runs = yield* RunsService
    const { userId } = yield* session.currentUser(args)
    return yield* runs.list(userId)
  })
  return Runtime.runPromise(program)
}
