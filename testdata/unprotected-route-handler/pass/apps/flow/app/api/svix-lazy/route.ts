import { db } from '@/lib/db'

// svix loaded on first use: the signature is verified before the event is handled.
export async function POST(request: Request) {
  const body = await request.text()
  const { Webhook } = await import('svix')
  const webhook = new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? '')
  const evt = webhook.verify(body, {
    'svix-id': request.headers.get('svix-id') ?? '',
    'svix-timestamp': request.headers.get('svix-timestamp') ?? '',
    'svix-signature': request.headers.get('svix-signature') ?? '',
  }) as { type: string; data: { id: string } }
  await db.user.upsert({ where: { id: evt.data.id }, create: { id: evt.data.id }, update: {} })
  return Response.json({ ok: true })
}
