import { auth } from '@clerk/nextjs/server'
import { purgeUsers } from '@/lib/admin-ops'

// The helper checks the role itself, before deleting.
export async function POST(req: Request) {
  await auth.protect()
  const { ids } = await req.json()
  await purgeUsers(ids)
  return Response.json({ ok: true })
}
