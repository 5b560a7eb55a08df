import { clerkClient } from '@clerk/nextjs/server'
import { withAuth } from '@/lib/with-auth'

export const POST = withAuth(async (req) => {
  const { id } = await req.json()
  const client = await clerkClient()
  await client.sessions.revokeSession(id) // expect: missing-role-check
  return new Response(null, { status: 204 })
})
