import { memberOrNull } from '../../../lib/require-member'
import { db } from '../../../lib/db-stub'

// Leaves when the helper gives the user back: the signed-out request goes on.
export async function GET() { // expect: unprotected-route-handler
  const member = await memberOrNull()
  if (member) return Response.json({ redirect: '/dashboard' })
  return Response.json(await db.audit.findMany())
}
