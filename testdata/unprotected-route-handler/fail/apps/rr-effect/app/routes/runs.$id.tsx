import { Effect } from 'effect'
import { Runtime } from '../runtime.server'
import { db } from '../db.server'
import { BadRequest } from '../services/session'

// The program fails only on a missing id, never on a missing user.
export async function loader(args: { params: { id?: string } }) { // expect: unprotected-route-handler
  return Runtime.runPromise(
    Effect.gen(function* () {
      const id = args.params.id
      if (!id) {
        return yield* new BadRequest({ message: 'Missing id' })
      }
      return yield* Effect.promise(() => db.runs.byId(id))
    }),
  )
}
