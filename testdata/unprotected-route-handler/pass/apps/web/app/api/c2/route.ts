import * as session from '../../../lib/auth'

export async function PATCH() {
  const userId = await session.getUserId()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json({ userId })
}
