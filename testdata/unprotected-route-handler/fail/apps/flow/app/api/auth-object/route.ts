import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function DELETE() { // expect: unprotected-route-handler
  const session = await auth()
  // The object is always truthy: testing it turns nobody away.
  if (!session) return new Response('Unauthorized', { status: 401 })
  const { userId } = session
  await db.account.delete({ where: { userId: userId ?? '' } })
  return Response.json({ ok: true })
}
