import { auth, clerkClient } from '@clerk/nextjs/server'

// v5: `clerkClient` used as a singleton.
export async function PATCH(req: Request, { params }: { params: { id: string } }) {
  const { userId } = auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { role } = await req.json()
  // The role comes from the caller: comparing it is not a check.
  if (role !== 'admin' && role !== 'member') return new Response('Bad role', { status: 400 })
  await clerkClient.users.updateUserMetadata(params.id, { publicMetadata: { role } }) // expect: missing-role-check
  return Response.json({ ok: true })
}
