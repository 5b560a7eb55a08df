import { auth } from '@clerk/nextjs/server'
import { withRateLimit, uploadLimiter } from '@acme/security'
import { db } from '@/lib/db'

class AuthenticationError extends Error {}

// The check is in the callback the rate limiter runs and whose answer the handler returns.
export async function POST(request: Request) {
  return withRateLimit(request, uploadLimiter, async () => {
    const { userId } = await auth()
    if (!userId) {
      throw new AuthenticationError()
    }
    const body = await request.json()
    await db.upload.create({ data: { userId, name: body.name } })
    return Response.json({ ok: true })
  })
}
