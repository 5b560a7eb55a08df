import { db } from '@/lib/db'

// Internal callers send the shared secret in a header.
export async function POST(req: Request) {
  if (req.headers.get('x-internal-token') !== process.env.INTERNAL_SECRET) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json(await db.job.create({ data: await req.json() }))
}
