import { requireUserId } from '../../../lib/require-user'
import { db } from '@/lib/db'

// The guard and the body are awaited together: the guard's rejection rejects the whole.
export async function POST(request: Request) {
  const [userId, body] = await Promise.all([requireUserId(), request.json()])
  await db.note.create({ data: { userId, text: body.text } })
  return Response.json({ ok: true })
}
