import { auth, clerkClient } from '@clerk/nextjs/server'

// Clerk's basic RBAC guide: the role lives in the session token's metadata.
export async function PATCH(req: Request, { params }: { params: { id: string } }) {
  const { sessionClaims } = await auth()
  if (sessionClaims?.metadata?.role !== 'admin') {
    return new Response('Forbidden', { status: 403 })
  }
  const { role } = await req.json()
  const client = await clerkClient()
  await client.users.updateUserMetadata(params.id, { publicMetadata: { role } })
  return Response.json({ ok: true })
}
