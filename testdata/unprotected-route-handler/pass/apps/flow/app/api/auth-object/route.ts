import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function DELETE() {
  const session = await auth()
  const { userId } = session
  if (!userId) return new Response('Unauthorized', { status: 401 })
  await db.account.delete({ where: { userId } })
  return Response.json({ ok: true })
}
