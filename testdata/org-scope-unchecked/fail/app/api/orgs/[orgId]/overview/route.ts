import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// A join row keyed by a user id the caller sends: anyone's membership opens the organization.
export async function GET(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  const asUser = new URL(req.url).searchParams.get('as') ?? ''
  const link = await db.userOrganization.findUnique({ where: { userId_orgId: { userId: asUser, orgId } } }) // expect: org-scope-unchecked
  if (!link) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.organization.findUnique({ where: { id: orgId } }))
}

// Writing the caller's join row is not a test of it: any signed-in user joins any organization.
export async function POST(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  await db.userOrganization.createMany({ data: [{ userId, orgId, role: 'OWNER' }] }) // expect: org-scope-unchecked
  return Response.json({ ok: true })
}
