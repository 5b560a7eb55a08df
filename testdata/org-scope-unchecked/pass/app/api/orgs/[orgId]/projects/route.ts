import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'
import { loadOrgProjects, requireOrgMember } from '@/lib/org-access'

export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId, orgId: activeOrgId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  if (orgId !== activeOrgId) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.project.findMany({ where: { orgId } }))
}

export async function HEAD(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params
  await requireOrgMember(orgId)
  const projects = await db.project.findMany({ where: { orgId } })
  return new Response(null, { headers: { 'x-count': String(projects.length) } })
}

export async function OPTIONS(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params
  return Response.json(await loadOrgProjects(orgId))
}
