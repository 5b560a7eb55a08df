import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Joins the caller to whichever organization the body names: writing the membership row is
// the use of the id, not a check of it.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await req.json()
  await db.membership.create({ data: { userId, orgId, role: 'member' } }) // expect: org-scope-unchecked
  return Response.json({ joined: true })
}
