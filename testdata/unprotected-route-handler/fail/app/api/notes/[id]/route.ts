import { db } from '@/lib/db'

export const DELETE = async (req: Request) => { // expect: unprotected-route-handler
  await db.note.delete({ where: { id: new URL(req.url).searchParams.get('id') ?? '' } })
  return new Response(null, { status: 204 })
}
