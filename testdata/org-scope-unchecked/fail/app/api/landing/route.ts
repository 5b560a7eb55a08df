import { auth } from '@clerk/nextjs/server'
import { landingService } from '@/lib/services/landing'

// The service method reads the body's organization without a membership check.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { organizationId } = await req.json()
  const url = await landingService.destinationFor(userId, organizationId) // expect: org-scope-unchecked
  return Response.json({ url })
}
