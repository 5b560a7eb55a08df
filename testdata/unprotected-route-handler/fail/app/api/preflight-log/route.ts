import { db } from '@/lib/db'

// Not only a preflight: it writes a row for every caller.
export async function OPTIONS(request: Request) { // expect: unprotected-route-handler
  await db.visit.create({ data: { origin: request.headers.get('origin') } })
  return new Response(null, {
    status: 204,
    headers: { 'Access-Control-Allow-Origin': process.env.ALLOWED_ORIGIN ?? '' },
  })
}
