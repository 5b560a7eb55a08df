import { db } from '@/lib/db'

function isValidPayload(body: { name?: unknown }): boolean {
  return typeof body.name === 'string' && body.name.length > 0
}

export async function POST(req: Request) { // expect: unprotected-route-handler
  const body = await req.json()
  if (!isValidPayload(body)) return new Response('Bad request', { status: 400 })
  await db.board.create({ data: body })
  return Response.json({ ok: true })
}
