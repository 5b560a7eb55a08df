import { auth, currentUser } from '@clerk/nextjs/server'

// Gives the user back when signed in, and null otherwise: a truthy result is the user.
export async function memberOrNull() {
  const { userId } = await auth()
  if (!userId) return null
  return currentUser()
}

// Gives an error response back when signed out, and the user when signed in: a truthy
// result does not tell the two apart.
export async function userOrError() {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return { id: userId }
}
