import { Webhook } from 'svix'
import { db } from '@/lib/db'

// A signed webhook: the organization id comes from Clerk, not from a user.
export async function POST(req: Request) {
  const payload = await req.text()
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!)
  const body = wh.verify(payload, Object.fromEntries(req.headers)) as { data: { organization_id: string } }
  const raw = JSON.parse(payload)
  await db.org.update({ where: { id: raw.data.organization_id }, data: { synced: true } })
  return new Response(body ? 'ok' : 'no')
}
