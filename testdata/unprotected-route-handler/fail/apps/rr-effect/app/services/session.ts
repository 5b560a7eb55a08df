import { Data, Effect } from 'effect'
import { getAuth } from '@clerk/react-router/ssr.server'

export class BadRequest extends Data.TaggedError('BadRequest')<{ message: string }> {}

export class SessionService extends Effect.Service<SessionService>()('SessionService', {
  effect: Effect.gen(function* () {
    // Hands back the session, signed in or not: the caller must test it.
    const currentUser = Effect.fn('SessionService.currentUser')(function* (args: { request: Request }) {
      const auth = yield* Effect.tryPromise({
        try: () => getAuth(args as never),
        catch: (cause) => new BadRequest({ message: String(cause) }),
      })
      return auth
    })
    return { currentUser }
  }),
}) {}
