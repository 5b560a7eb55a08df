import { db } from '../../../lib/db-stub'

// svix is loaded, but the payload is parsed without verifying it.
export async function POST(request: Request) { // expect: unprotected-route-handler
  const body = await request.text()
  const { Webhook } = await import('svix')
  const webhook = new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? '')
  const evt = JSON.parse(body) as { data: { id: string } }
  await db.audit.create({ data: { id: evt.data.id, with: String(webhook) } })
  return Response.json({ ok: true })
}
