import { getCurrentVendor } from '@/lib/vendor'
import { db } from '@/lib/db'

export async function PATCH(req: Request) {
  const state = await getCurrentVendor()
  if (state.kind !== 'live') return new Response('Forbidden', { status: 403 })
  return Response.json(await db.vendor.update({ where: { id: state.vendor.id }, data: await req.json() }))
}
