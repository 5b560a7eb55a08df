import { userOrError } from '../../../lib/require-member'
import { db } from '../../../lib/db-stub'

// Returns whatever the helper gives back: for a signed-in user that is the user, so the lock
// is never written; a signed-out request also stops here. The helper's truthy result is
// ambiguous, so this is not read as a check.
export async function POST() { // expect: unprotected-route-handler
  const result = await userOrError()
  if (result) return Response.json(result)
  await db.audit.create({ data: { locked: true } })
  return Response.json({ ok: true })
}
