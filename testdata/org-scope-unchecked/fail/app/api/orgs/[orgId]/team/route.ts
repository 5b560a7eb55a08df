import { auth, clerkClient } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Listing an organization's members is not a test that the caller is one: anyone's team shows.
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const client = await clerkClient()
  const list = await client.organizations.getOrganizationMembershipList({ organizationId: orgId }) // expect: org-scope-unchecked
  return Response.json(list.data.map((m) => m.publicUserData?.identifier))
}

// The app's own table, the same way.
export async function POST(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const members = await db.membership.findMany({ where: { orgId } }) // expect: org-scope-unchecked
  return Response.json({ members, by: userId })
}
