import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// `has({ role })` checks the role in the *active* organization, not in the one in the URL.
export async function PATCH(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) return new Response('Forbidden', { status: 403 })
  const { orgId } = await params
  const data = await req.json()
  await db.org.update({ where: { id: orgId }, data }) // expect: org-scope-unchecked
  return Response.json({ ok: true })
}
