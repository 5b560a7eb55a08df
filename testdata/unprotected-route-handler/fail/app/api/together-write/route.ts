import { requireUserId } from '../../../lib/require-user'
import { db } from '../../../lib/db-stub'

// The write runs beside the guard, not behind it: it happens for a signed-out request too.
export async function POST(request: Request) { // expect: unprotected-route-handler
  const [userId] = await Promise.all([
    requireUserId(),
    db.audit.create({ data: { url: request.url } }),
  ])
  return Response.json({ userId })
}
