import type { APIRoute } from 'astro'
import { clerkClient } from '@clerk/astro/server'

// The org id comes from the URL: any signed-in user reads any organization.
export const GET: APIRoute = async (context) => {
  const { userId } = context.locals.auth()
  if (!userId) return new Response('unauthorized', { status: 401 })
  const orgId = context.params.orgId!
  const org = await clerkClient(context).organizations.getOrganization({ organizationId: orgId }) // expect: org-scope-unchecked
  return Response.json(org)
}
