import { auth } from '@clerk/nextjs/server'
import { projectsOf } from '../../../../../lib/projects'

export async function GET(request, { params }) {
  const { userId, orgId: activeOrgId } = await auth()
  if (!userId) {
    return new Response('Unauthorized', { status: 401 })
  }
  const { orgId } = await params
  if (orgId !== activeOrgId) {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json({ orgId, projects: projectsOf(orgId).length })
}
