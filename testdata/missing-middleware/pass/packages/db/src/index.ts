import { auth } from '@clerk/nextjs/server'

// A workspace library the apps import: Next.js builds no app here (no app/ or pages/), so
// there is nothing for a middleware to run in front of.
export async function currentUserId() {
  const { userId } = await auth()
  return userId
}
