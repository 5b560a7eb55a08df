import { db } from '@/lib/db'

// No check of its own: the middleware's table gives `/api/projects` the member level, whose
// guard redirects a signed-out request to /login.
export async function GET() {
  return Response.json({ projects: await db.project.findMany() })
}
