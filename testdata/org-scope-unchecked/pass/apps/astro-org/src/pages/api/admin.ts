import type { APIRoute } from 'astro'
import { clerkClient } from '@clerk/astro/server'

// Near miss: `auth` taken out of `locals` first.
export const GET: APIRoute = async (context) => {
  const { locals } = context
  const { auth } = locals
  if (!auth().userId) return new Response('unauthorized', { status: 401 })
  if (!auth().has({ role: 'org:admin' })) return new Response('forbidden', { status: 403 })
  const org = await clerkClient(context).organizations.getOrganization({ organizationId: auth().orgId! })
  return Response.json(org)
}
