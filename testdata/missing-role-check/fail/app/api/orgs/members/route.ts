import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId, orgId } = await auth()
  if (!userId || !orgId) return new Response('Unauthorized', { status: 401 })
  const { memberId } = await req.json()
  const client = await clerkClient()
  await client.organizations.createOrganizationMembership({ // expect: missing-role-check
    organizationId: orgId,
    userId: memberId,
    role: 'org:admin',
  })
  return Response.json({ ok: true })
}

export async function DELETE(req: Request) {
  const { userId, orgId, has } = await auth()
  if (!userId || !orgId) return new Response('Unauthorized', { status: 401 })
  // A role test whose result nothing acts on.
  const isAdmin = has({ role: 'org:admin' })
  console.log('admin?', isAdmin)
  const { memberId } = await req.json()
  const client = await clerkClient()
  await client.organizations.deleteOrganizationMembership({ organizationId: orgId, userId: memberId }) // expect: missing-role-check
  return new Response(null, { status: 204 })
}
