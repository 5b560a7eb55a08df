import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Membership checked in the database.
export async function GET(_req: Request, ctx: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await ctx.params
  const membership = await db.membership.findFirst({ where: { orgId, userId } })
  if (!membership) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.auditLog.findMany({ where: { orgId } }))
}
