import { clerkClient } from '@clerk/nextjs/server'

// The app's own registration: the caller has no session yet, and the account it creates is
// its own. Whether this should be open is unprotected-route-handler's question.
export async function POST(req: Request) {
  const { email, password } = await req.json()
  const client = await clerkClient()
  await client.users.createUser({ emailAddress: [email], password })
  return Response.json({ ok: true })
}
