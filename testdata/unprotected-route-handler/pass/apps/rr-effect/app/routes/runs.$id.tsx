import { Effect } from 'effect'
import { getAuth } from '@clerk/react-router/ssr.server'
import { Runtime } from '../runtime.server'
import { db } from '../db.server'
import { NotSignedIn, SessionService } from '../services/session'

// The check inline in the program: `Effect.fail` stops it without a user.
export async function loader(args: { request: Request; params: { id: string } }) {
  return Runtime.runPromise(
    Effect.gen(function* () {
      const auth = yield* Effect.promise(() => getAuth(args as never))
      if (!auth.userId) {
        return yield* Effect.fail(new NotSignedIn({ message: 'Not signed in' }))
      }
      return yield* Effect.promise(() => db.runs.byId(args.params.id))
    }),
  )
}

// The service's accessor (`accessors: true`), called on the class itself.
export async function action(args: { request: Request; params: { id: string } }) {
  return Runtime.runPromise(
    Effect.gen(function* () {
      yield* SessionService.requireUser(args)
      return yield* Effect.promise(() => db.runs.byId(args.params.id))
    }),
  )
}
