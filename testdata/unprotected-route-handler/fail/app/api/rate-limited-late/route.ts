import { auth } from '@clerk/nextjs/server'
import { withRateLimit, uploadLimiter } from '@acme/security'
import { db } from '@/lib/db-stub'

// The callback writes before it checks: a signed-out request has already changed data.
export async function POST(request: Request) { // expect: unprotected-route-handler
  return withRateLimit(request, uploadLimiter, async () => {
    await db.audit.create({ data: { url: request.url } })
    const { userId } = await auth()
    if (!userId) {
      return new Response('Unauthorized', { status: 401 })
    }
    return Response.json({ ok: true })
  })
}
