import { auth } from '@clerk/nextjs/server'
import { landingService } from '@/lib/services/landing'

// The body's organization goes to a service method that checks the caller's membership first.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { organizationId } = await req.json()
  const url = await landingService.destinationFor(userId, organizationId)
  return Response.json({ url })
}
