import type { APIRoute } from 'astro'
import { clerkClient } from '@clerk/astro/server'

// Near miss: the org id comes from the session Clerk's middleware put in `locals`.
export const GET: APIRoute = async (context) => {
  const { userId, orgId } = context.locals.auth()
  if (!userId || !orgId) return new Response('unauthorized', { status: 401 })
  const org = await clerkClient(context).organizations.getOrganization({ organizationId: orgId })
  return Response.json(org)
}
