import { db } from '@/lib/db'

// Only where the operator switched the test endpoints on.
export async function POST() {
  if (process.env.PLAYWRIGHT_TEST !== '1') return Response.json({ error: 'Not found' }, { status: 404 })
  await db.user.deleteMany()
  return Response.json({ ok: true })
}
