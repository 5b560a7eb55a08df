import { clerkClient } from '@clerk/nextjs/server'

// The middleware protects /api/staff/** with a role.
export async function DELETE(req: Request) {
  const { id } = await req.json()
  const client = await clerkClient()
  await client.users.deleteUser(id)
  return new Response(null, { status: 204 })
}
