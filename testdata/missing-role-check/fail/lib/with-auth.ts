import { auth } from '@clerk/nextjs/server'

type Handler = (req: Request) => Promise<Response>

// Checks the session only.
export function withAuth(handler: Handler): Handler {
  return async (req) => {
    const { userId } = await auth()
    if (!userId) return new Response('Unauthorized', { status: 401 })
    return handler(req)
  }
}
