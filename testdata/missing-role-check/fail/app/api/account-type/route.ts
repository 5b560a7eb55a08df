import { auth, clerkClient } from '@clerk/nextjs/server'

// The caller picks their own role: only its presence is tested, so anyone can pick 'admin'.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { role, displayName } = await req.json()
  if (!role) return new Response('role is required', { status: 400 })
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { role, displayName } }) // expect: missing-role-check
  return Response.json({ ok: true })
}

// The whole body becomes trusted metadata: `{ "role": "admin" }` included.
export async function PUT(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const body = await req.json()
  const client = await clerkClient()
  await client.users.updateUser(userId, { privateMetadata: { ...body } }) // expect: missing-role-check
  return Response.json({ ok: true })
}
