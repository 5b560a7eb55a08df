import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'
import { listOrgProjects } from '@/lib/projects'

export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId } = await params
  return Response.json(await db.project.findMany({ where: { orgId } })) // expect: org-scope-unchecked
}

export async function HEAD(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  await auth.protect()
  const { orgId } = await params
  const projects = await listOrgProjects(orgId) // expect: org-scope-unchecked
  return new Response(null, { headers: { 'x-count': String(projects.length) } })
}
