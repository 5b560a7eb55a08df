import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Joining through an invitation: the unguessable token names the invite, and the body's
// organization must be the one the invite is for.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { token, orgId } = await req.json()
  const invite = await db.invite.findUnique({ where: { token } })
  if (!invite || invite.organizationId !== orgId) {
    return new Response('Invalid invite', { status: 400 })
  }
  await db.userOrganization.createMany({ data: [{ userId, orgId, role: 'member' }] })
  return Response.json({ joined: true })
}
