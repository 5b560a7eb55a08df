import { auth, clerkClient } from '@clerk/nextjs/server'

export async function GET(_req: Request, { params }: { params: { orgId: string } }) {
  await auth.protect()
  const client = await clerkClient()
  const org = await client.organizations.getOrganization({ organizationId: params.orgId }) // expect: org-scope-unchecked
  return Response.json(org)
}
