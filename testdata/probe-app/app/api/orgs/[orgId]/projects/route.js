import { auth } from '@clerk/nextjs/server'
import { projectsOf } from '../../../../../lib/projects'

// Any signed-in user reads any organization's projects: the id in the path is never compared
// with the session's organization.
export async function GET(request, { params }) {
  const { userId } = await auth()
  if (!userId) {
    return new Response('Unauthorized', { status: 401 })
  }
  const { orgId } = await params
  return Response.json({ orgId, projects: projectsOf(orgId) })
}
