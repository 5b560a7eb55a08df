import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { emailAddress } = await req.json()
  const { invitations } = await clerkClient()
  const invitation = await invitations.createInvitation({ emailAddress }) // expect: missing-role-check
  return Response.json(invitation)
}
