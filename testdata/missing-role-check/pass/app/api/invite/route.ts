import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId, has } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  if (!has({ permission: 'org:sys_memberships:manage' })) {
    return new Response('Forbidden', { status: 403 })
  }
  const { emailAddress } = await req.json()
  const { invitations } = await clerkClient()
  return Response.json(await invitations.createInvitation({ emailAddress }))
}
