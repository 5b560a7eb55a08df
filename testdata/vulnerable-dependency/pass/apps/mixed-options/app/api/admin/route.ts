import { auth } from '@clerk/nextjs/server'

export async function GET() {
  await auth.protect({ role: 'org:admin', unauthorizedUrl: '/' })
  return Response.json({ ok: true })
}
