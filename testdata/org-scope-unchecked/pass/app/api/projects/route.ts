import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function POST(req: Request) {
  const { userId, orgId: activeOrgId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId, name } = await req.json()
  if (!activeOrgId || orgId !== activeOrgId) return new Response('Forbidden', { status: 403 })
  const project = await db.project.create({ data: { orgId, name, ownerId: userId } })
  return Response.json(project, { status: 201 })
}
