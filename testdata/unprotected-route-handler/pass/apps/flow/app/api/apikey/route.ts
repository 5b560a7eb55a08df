import { db } from '@/lib/db'

// Called by API clients: the key is looked up and a missing one is refused.
export async function POST(req: Request) {
  const key = req.headers.get('x-api-key')
  const row = await db.apiKey.findUnique({ where: { key: key ?? '' } })
  if (!row) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.event.create({ data: { projectId: row.projectId } }))
}
