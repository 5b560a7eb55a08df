import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  await auth.protect()
  const { id } = await params
  const client = await clerkClient()
  await client.users.banUser(id) // expect: missing-role-check
  return Response.json({ banned: id })
}
