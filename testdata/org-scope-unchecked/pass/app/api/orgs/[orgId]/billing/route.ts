import { auth, currentUser } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// An allow-list on the user's own record.
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const user = await currentUser()
  if (!user) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const allowed = (user.publicMetadata.billingOrgs as string[]) ?? []
  if (!allowed.includes(orgId)) return new Response('Forbidden', { status: 403 })
  const { sessionClaims } = await auth()
  if (orgId !== sessionClaims?.org_id) return new Response('Switch organization', { status: 409 })
  return Response.json(await db.report.findMany({ where: { orgId } }))
}
