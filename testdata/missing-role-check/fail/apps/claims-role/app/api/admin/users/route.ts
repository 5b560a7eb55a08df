import { auth, clerkClient } from '@clerk/nextjs/server'

export async function DELETE(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response(null, { status: 401 })
  const { id } = await req.json()
  await (await clerkClient()).users.deleteUser(id) // expect: missing-role-check
  return new Response(null, { status: 204 })
}
