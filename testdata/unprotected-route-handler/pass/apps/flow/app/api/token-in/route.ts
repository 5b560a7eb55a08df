import { requireToken } from '@/lib/token'
import { db } from '@/lib/db'

export async function GET() {
  const result = await requireToken()
  if ('error' in result) {
    return Response.json({ success: false, error: result.error }, { status: result.status })
  }
  return Response.json(await db.board.findMany({ where: { token: result.token } }))
}
