import { auth, clerkClient } from '@clerk/nextjs/server'

// Acting on the signed-in user is fine; acting on someone else is not.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { targetId } = await req.json()
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { onboarded: true } })
  await client.users.updateUserMetadata(targetId, { publicMetadata: { plan: 'pro' } }) // expect: missing-role-check
  return Response.json({ ok: true })
}
