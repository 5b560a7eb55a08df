import { auth } from '@clerk/nextjs/server'
import { purgeUsers } from '@/lib/admin-ops'

// The deletion happens two files away.
export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { ids } = await req.json()
  await purgeUsers(ids) // expect: missing-role-check
  return Response.json({ ok: true })
}
