import { session } from '@/lib/session'
import { db } from '@/lib/db'

// A method of an imported object throws without a user.
export async function GET() {
  const userId = await session.requireUserId()
  return Response.json(await db.order.findMany({ where: { userId } }))
}
