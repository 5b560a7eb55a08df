import { db } from '@/lib/db'

export async function POST(req: Request) {
  const body = await req.json()
  return Response.json(await db.note.create({ data: body }))
}
