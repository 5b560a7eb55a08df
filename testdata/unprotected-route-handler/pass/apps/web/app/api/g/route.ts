import { auth } from '@clerk/nextjs/server'

// Work only when signed in; 401 otherwise.
export async function GET() {
  const { userId } = await auth()
  if (userId) {
    return Response.json({ userId })
  }
  return new Response('Unauthorized', { status: 401 })
}
