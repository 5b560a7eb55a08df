import type { APIRoute } from 'astro'
import { db } from '../../lib/db'

export const GET: APIRoute = async ({ locals }) => {
  const { userId } = locals.auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.orders(userId))
}

// The session is read but never checked: a signed-out caller gets through.
export const POST: APIRoute = async ({ request, locals }) => { // expect: unprotected-route-handler
  const { userId } = locals.auth()
  return Response.json(await db.createOrder(userId, await request.json()))
}
