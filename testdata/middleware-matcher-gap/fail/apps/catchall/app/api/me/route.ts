import { auth } from '@clerk/nextjs/server'

export async function GET() {
  const { userId } = await auth()
  if (!userId) return new Response(null, { status: 401 })
  return Response.json({ userId })
}
