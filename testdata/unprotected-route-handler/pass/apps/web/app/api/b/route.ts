import { auth } from '@clerk/nextjs/server'

export async function POST() {
  await auth.protect()
  return Response.json({ ok: true })
}
