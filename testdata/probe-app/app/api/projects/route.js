import { auth } from '@clerk/nextjs/server'
import { projectsOf } from '../../../lib/projects'

// The organization comes from the query string and is never checked against the session.
export async function GET(request) {
  const { userId } = await auth()
  if (!userId) {
    return new Response('Unauthorized', { status: 401 })
  }
  const orgId = new URL(request.url).searchParams.get('orgId')
  return Response.json({ orgId, projects: projectsOf(orgId) })
}
