import type { APIRoute } from 'astro'
import { db } from '../../lib/db'

export const POST: APIRoute = async ({ request, locals }) => {
  const { isAuthenticated, userId } = locals.auth()
  if (!isAuthenticated) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.createOrder(userId, await request.json()))
}

export const DELETE: APIRoute = async (context) => {
  const { userId } = context.locals.auth()
  if (!userId) return new Response(null, { status: 401 })
  return Response.json(await db.clear(userId))
}
