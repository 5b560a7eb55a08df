import { z } from 'zod'
import { db } from '@/lib/db'

const profileSchema = z.object({ name: z.string(), bio: z.string() })

// Validates, then writes: not only a check of the request.
export async function POST(request: Request) { // expect: unprotected-route-handler
  const parsed = profileSchema.safeParse(await request.json())
  if (!parsed.success) return Response.json({ ok: false }, { status: 400 })
  await db.profile.create({ data: parsed.data })
  return Response.json({ ok: true })
}
