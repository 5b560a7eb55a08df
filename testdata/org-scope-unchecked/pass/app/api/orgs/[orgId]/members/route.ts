import { auth, clerkClient } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Membership checked through Clerk.
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const client = await clerkClient()
  const { data } = await client.users.getOrganizationMembershipList({ userId })
  if (!data.some((m) => m.organization.id === orgId)) {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json(await db.project.findMany({ where: { orgId } }))
}
