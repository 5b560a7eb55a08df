import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The comparison comes after the data was read.
export async function GET(_req: Request, ctx: { params: Promise<{ orgId: string }> }) {
  const { orgId: activeOrgId } = await auth()
  const { orgId } = await ctx.params
  const logs = await db.auditLog.findMany({ where: { orgId } }) // expect: org-scope-unchecked
  if (orgId !== activeOrgId) return new Response('Forbidden', { status: 403 })
  return Response.json(logs)
}
