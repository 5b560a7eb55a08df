import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The join row of the caller and the organization, looked up by its compound key: no row, 403.
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const link = await db.userOrganization.findUnique({ where: { userId_orgId: { userId, orgId } } })
  if (!link) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.organization.findUnique({ where: { id: orgId } }))
}
