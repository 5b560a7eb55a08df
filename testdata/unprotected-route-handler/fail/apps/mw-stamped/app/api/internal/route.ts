import { db } from '@/lib/db'

// The middleware adds the secret to every request, so this check passes for anyone.
export async function POST(req: Request) { // expect: unprotected-route-handler
  if (req.headers.get('x-internal-token') !== process.env.INTERNAL_SECRET) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json(await db.job.create({ data: await req.json() }))
}
