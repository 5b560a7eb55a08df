import { auth } from '@clerk/nextjs/server'
import { createApiClient } from '@/lib/api-client'

// Not a Clerk client.
export async function DELETE(req: Request) {
  await auth.protect()
  const { id } = await req.json()
  const client = createApiClient()
  await client.users.deleteUser(id)
  return new Response(null, { status: 204 })
}
