import { auth } from '@clerk/nextjs/server'

// False for a signed-out request: it has no claims.
export async function checkRole(role: string) {
  const { sessionClaims } = await auth()
  return sessionClaims?.metadata?.role === role
}
