import { clerkClient } from '@clerk/nextjs/server'
import { withRole } from '@/lib/roles'

export const POST = withRole('org:admin', async (req) => {
  const { id } = await req.json()
  const client = await clerkClient()
  await client.sessions.revokeSession(id)
  return new Response(null, { status: 204 })
})
