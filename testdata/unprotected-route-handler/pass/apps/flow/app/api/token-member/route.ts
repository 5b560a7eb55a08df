import { requireToken } from '@/lib/token'
import { db } from '@/lib/db'

export async function DELETE(req: Request) {
  const result = await requireToken()
  if (result?.error) return Response.json({ error: result.error }, { status: result.status })
  await db.board.delete({ where: { id: new URL(req.url).searchParams.get('id') ?? '' } })
  return Response.json({ ok: true })
}
