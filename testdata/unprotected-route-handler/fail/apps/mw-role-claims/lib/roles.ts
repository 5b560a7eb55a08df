import { auth } from '@clerk/nextjs/server'

// True for a signed-out request: it has no role, so none that is banned.
export async function notBanned() {
  const { sessionClaims } = await auth()
  return sessionClaims?.metadata?.role !== 'banned'
}
