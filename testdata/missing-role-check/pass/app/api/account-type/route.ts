import { auth, clerkClient } from '@clerk/nextjs/server'

const SELF_SERVICE = ['buyer', 'seller']

// The caller picks their own account type, tested against the self-service list first.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const body = await req.json()
  if (!SELF_SERVICE.includes(body.role)) return new Response('Bad role', { status: 400 })
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { role: body.role } })
  return Response.json({ ok: true })
}

// Written only inside the branch that tested it.
export async function PUT(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { role } = await req.json()
  if (role === 'buyer' || role === 'seller') {
    const client = await clerkClient()
    await client.users.updateUser(userId, { publicMetadata: { role } })
  }
  return Response.json({ ok: true })
}

// Request data under keys that grant nothing, and a role in the user-writable metadata.
export async function PATCH(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { displayName, role } = await req.json()
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, {
    publicMetadata: { displayName, onboarded: true },
    unsafeMetadata: { preferredRole: role },
  })
  return Response.json({ ok: true })
}
