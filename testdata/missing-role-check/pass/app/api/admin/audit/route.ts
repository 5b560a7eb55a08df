import { auth } from '@clerk/nextjs/server'
import { accessService } from '@/lib/services/access'

// A permission looked up through the app's own service, and 403 without it.
export async function GET() {
  const { userId, orgId } = await auth()
  if (!userId || !orgId) return new Response('Unauthorized', { status: 401 })
  const allowed = await accessService.canDo(userId, orgId, 'audit.read')
  if (!allowed) return new Response('Forbidden', { status: 403 })
  return Response.json({ events: [] })
}
