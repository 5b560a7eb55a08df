import { auth } from '@clerk/nextjs/server'

// Returns early, but only from itself: callers carry on.
export async function softCheck() {
  const { userId } = await auth()
  if (!userId) return null
  return userId
}
