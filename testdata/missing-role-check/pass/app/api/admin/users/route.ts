import { auth, clerkClient } from '@clerk/nextjs/server'

// auth.protect with a role, before the deletion.
export async function DELETE(req: Request) {
  await auth.protect({ role: 'org:admin' })
  const { id } = await req.json()
  await (await clerkClient()).users.deleteUser(id)
  return new Response(null, { status: 204 })
}
