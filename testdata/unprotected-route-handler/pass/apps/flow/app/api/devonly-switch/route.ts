import { db } from '@/lib/db'

// Refused in production whatever the switch says: the reset runs in development only.
export async function POST() {
  if (!process.env.ALLOW_RESET || process.env.NODE_ENV === 'production') {
    return new Response(null, { status: 404 })
  }
  await db.$executeRaw`TRUNCATE events`
  return Response.json({ ok: true })
}
