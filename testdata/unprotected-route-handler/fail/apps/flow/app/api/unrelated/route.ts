import { redis } from '@/lib/redis'

// A null check on a cache record is no session check.
export async function GET(req: Request) { // expect: unprotected-route-handler
  const key = new URL(req.url).searchParams.get('id') ?? ''
  const record = await redis.get(key)
  if (!record) return new Response('Not found', { status: 404 })
  return Response.json(record)
}
