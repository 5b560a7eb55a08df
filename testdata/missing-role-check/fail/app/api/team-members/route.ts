import { auth, clerkClient } from '@clerk/nextjs/server'

// Signed in, but any member may create accounts: a role should be required.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { email } = await req.json()
  const client = await clerkClient()
  await client.users.createUser({ emailAddress: [email] }) // expect: missing-role-check
  return Response.json({ ok: true })
}
