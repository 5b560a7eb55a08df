import { auth, clerkClient } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The organization's member list is searched for the caller before anything is shown.
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const client = await clerkClient()
  const list = await client.organizations.getOrganizationMembershipList({ organizationId: orgId })
  if (!list.data.some((m) => m.publicUserData?.userId === userId)) {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json(await db.project.findMany({ where: { orgId } }))
}

// The same with the app's own table: the members' ids, then the caller among them.
export async function POST(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const members = await db.membership.findMany({ where: { orgId } })
  const ids = members.map((m: { id: string }) => m.id)
  if (!ids.includes(userId)) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.project.findMany({ where: { orgId } }))
}
