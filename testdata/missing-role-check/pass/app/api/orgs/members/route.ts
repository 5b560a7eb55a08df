import { auth, clerkClient } from '@clerk/nextjs/server'
import { requireAdmin } from '@/lib/roles'

export async function POST(req: Request) {
  await requireAdmin()
  const { orgId } = await auth()
  const { memberId } = await req.json()
  const client = await clerkClient()
  await client.organizations.createOrganizationMembership({
    organizationId: orgId!,
    userId: memberId,
    role: 'org:member',
  })
  return Response.json({ ok: true })
}

export async function DELETE(req: Request) {
  const { orgId, has } = await auth()
  if (has({ role: 'org:admin' })) {
    const { memberId } = await req.json()
    const client = await clerkClient()
    await client.organizations.deleteOrganizationMembership({ organizationId: orgId!, userId: memberId })
    return new Response(null, { status: 204 })
  }
  return new Response('Forbidden', { status: 403 })
}
