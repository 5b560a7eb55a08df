import { auth, clerkClient } from '@clerk/nextjs/server'

// An admin may change roles, but a hijacked admin session may too.
export async function PATCH(req: Request) {
  const { orgId } = await auth.protect({ role: 'org:admin' })
  const { memberId, role } = await req.json()
  const client = await clerkClient()
  await client.organizations.updateOrganizationMembership({ // expect: sensitive-action-without-reverification
    organizationId: orgId!,
    userId: memberId,
    role,
  })
  return Response.json({ ok: true })
}
