import { parseBody } from '@/lib/parse'
import { db } from '@/lib/db'

export async function POST(req: Request) { // expect: unprotected-route-handler
  const parsed = await parseBody(req)
  if ('error' in parsed) return Response.json({ error: parsed.error }, { status: 400 })
  await db.board.create({ data: parsed.value as object })
  return Response.json({ ok: true })
}
