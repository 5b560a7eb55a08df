import { db } from '@/lib/db'

export async function POST() {
  if (process.env.NODE_ENV !== 'development') return new Response(null, { status: 404 })
  await db.$executeRaw`TRUNCATE events`
  return Response.json({ ok: true })
}
