import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The invite is named by its id, which a caller can enumerate: matching its organization
// proves nothing about the caller.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { inviteId, orgId } = await req.json()
  const invite = await db.invite.findUnique({ where: { id: inviteId } })
  if (!invite || invite.organizationId !== orgId) {
    return new Response('Invalid invite', { status: 400 })
  }
  await db.userOrganization.createMany({ data: [{ userId, orgId, role: 'member' }] }) // expect: org-scope-unchecked
  return Response.json({ joined: true })
}
