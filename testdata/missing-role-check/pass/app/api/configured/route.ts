import { clerkClient } from '@clerk/nextjs/server'
import { assertStaff } from '@acme/authz'

// `assertStaff` is listed in `role_functions`.
export async function DELETE(req: Request) {
  await assertStaff(req)
  const { id } = await req.json()
  const client = await clerkClient()
  await client.users.deleteUser(id)
  return new Response(null, { status: 204 })
}
