import { auth } from '@clerk/nextjs/server'

// Meant to reject signed-out requests, but it only reads the session: nothing is rejected.
export async function requireUser() {
  const { userId } = await auth()
  return userId
}
