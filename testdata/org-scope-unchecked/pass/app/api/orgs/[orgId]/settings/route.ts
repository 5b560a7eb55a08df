import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The org in the URL must be the active one; then the role applies to it.
export async function PATCH(req: Request, { params }: { params: { orgId: string } }) {
  const { has, orgId } = await auth()
  if (params.orgId !== orgId || !has({ role: 'org:admin' })) {
    return new Response('Forbidden', { status: 403 })
  }
  const data = await req.json()
  await db.org.update({ where: { id: params.orgId }, data })
  return Response.json({ ok: true })
}
