import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { orgRole } = await auth()
  if (orgRole !== 'org:admin') return new Response('Forbidden', { status: 403 })
  const { id } = await params
  const client = await clerkClient()
  await client.users.banUser(id)
  return Response.json({ banned: id })
}
