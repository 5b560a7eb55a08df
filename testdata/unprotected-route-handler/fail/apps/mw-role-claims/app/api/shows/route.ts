import { db } from '@/lib/db'
import { notBanned } from '../../../lib/roles'

export async function POST(req: Request) { // expect: unprotected-route-handler
  if (!(await notBanned())) {
    return Response.json({ error: 'Forbidden' }, { status: 403 })
  }
  const show = await req.json()
  await db.show.update({ where: { id: show.id }, data: show })
  return Response.json({ ok: true })
}
