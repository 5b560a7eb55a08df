import { auth } from '@clerk/nextjs/server'

type Roles = 'admin' | 'moderator'

// Clerk's documented helper: a predicate.
export const checkRole = async (role: Roles) => {
  const { sessionClaims } = await auth()
  return sessionClaims?.metadata?.role === role
}

// A guard: throws unless the user is an org admin.
export async function requireAdmin() {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) throw new Error('Forbidden')
}

type Handler = (req: Request) => Promise<Response>

export function withRole(role: string, handler: Handler): Handler {
  return async (req) => {
    const { has } = await auth()
    if (!has({ role })) return new Response('Forbidden', { status: 403 })
    return handler(req)
  }
}
