import { verifyKofiToken } from '@/lib/kofi'
import { db } from '@/lib/db'

export async function POST(req: Request) {
  const body = await req.json()
  const valid = verifyKofiToken(body)
  if (!valid) return new Response('Unauthorized', { status: 401 })
  await db.donation.create({ data: body })
  return Response.json({ ok: true })
}
