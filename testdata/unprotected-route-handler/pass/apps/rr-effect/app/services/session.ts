import { Data, Effect } from 'effect'
import { getAuth } from '@clerk/react-router/ssr.server'

export class NotSignedIn extends Data.TaggedError('NotSignedIn')<{ message: string }> {}

export class SessionService extends Effect.Service<SessionService>()('SessionService', {
  accessors: true,
  effect: Effect.gen(function* () {
    // Fails the program when there is no user: nothing after `yield* requireUser(…)` runs.
    const requireUser = Effect.fn('SessionService.requireUser')(function* (args: { request: Request }) {
      const auth = yield* Effect.tryPromise({
        try: () => getAuth(args as never),
        catch: (cause) => new NotSignedIn({ message: String(cause) }),
      })
      if (!auth.userId) {
        return yield* new NotSignedIn({ message: 'Not signed in' })
      }
      return auth
    })
    return { requireUser }
  }),
}) {}
