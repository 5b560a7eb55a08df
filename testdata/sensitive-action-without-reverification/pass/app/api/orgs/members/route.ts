import { auth, clerkClient, reverificationErrorResponse } from '@clerk/nextjs/server'

export async function PATCH(req: Request) {
  const { orgId, has } = await auth.protect({ role: 'org:admin' })
  if (!has({ reverification: 'moderate' })) return reverificationErrorResponse('moderate')
  const { memberId, role } = await req.json()
  const client = await clerkClient()
  await client.organizations.updateOrganizationMembership({
    organizationId: orgId!,
    userId: memberId,
    role,
  })
  return Response.json({ ok: true })
}
