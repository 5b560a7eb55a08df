import { getRuntimeConfig } from '@acme/config/runtime'
import { db } from '@/lib/db'

// The cron secret comes from a config helper, compared with the bearer token.
export async function GET(request: Request) {
  const authHeader = request.headers.get('authorization')
  const { cronSecret } = getRuntimeConfig()
  if (!cronSecret || authHeader !== `Bearer ${cronSecret}`) {
    return new Response('Unauthorized', { status: 401 })
  }
  await db.session.deleteMany({ where: { expired: true } })
  return Response.json({ ok: true })
}
