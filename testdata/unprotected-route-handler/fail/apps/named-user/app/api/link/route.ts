import { db } from '../../../lib/db'

// The same mistake with the parsed body kept whole and the id read off it.
export async function PUT(request: Request) { // expect: unprotected-route-handler
  const payload = await request.json()
  await db.link.create({ data: { owner: payload.userId, url: payload.url } })
  return Response.json({ created: true })
}
