import { auth, clerkClient } from '@clerk/nextjs/server'

// The reverification test comes after the operation: too late.
export async function DELETE() {
  const { userId, has } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const client = await clerkClient()
  await client.users.removePassword(userId) // expect: sensitive-action-without-reverification
  if (!has({ reverification: 'strict' })) return new Response(null, { status: 403 })
  return new Response(null, { status: 204 })
}
