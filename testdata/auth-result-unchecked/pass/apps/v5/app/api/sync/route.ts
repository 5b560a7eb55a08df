import { auth } from '@clerk/nextjs/server'

// v5: auth() is synchronous and auth().protect() exists.
export async function GET() {
  const { userId } = auth()
  if (!userId) return new Response(null, { status: 401 })
  auth().protect()
  return Response.json({ userId })
}
