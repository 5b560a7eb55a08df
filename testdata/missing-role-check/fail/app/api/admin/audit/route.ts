import { auth } from '@clerk/nextjs/server'
import { accessService } from '@/lib/services/access'

// The service's "check" allows everyone: no permission is looked up.
export async function GET() { // expect: missing-role-check
  const { userId, orgId } = await auth()
  if (!userId || !orgId) return new Response('Unauthorized', { status: 401 })
  const allowed = await accessService.canDo(userId, orgId, 'audit.read')
  if (!allowed) return new Response('Forbidden', { status: 403 })
  return Response.json({ events: [] })
}
