import { auth } from '@clerk/nextjs/server'

export async function GET() {
  const { isAuthenticated } = await auth()
  if (!isAuthenticated) return new Response(null, { status: 401 })
  return Response.json({})
}
