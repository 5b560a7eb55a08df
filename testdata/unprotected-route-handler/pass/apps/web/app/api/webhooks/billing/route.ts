import { readSignedEvent } from '@acme/payments'
import { db } from '@/lib/prisma'

export async function POST(req: Request) {
  const signature = req.headers.get('stripe-signature')
  if (!signature) return new Response('missing signature', { status: 400 })
  try {
    const event = readSignedEvent(await req.text(), signature)
    await db.payment.create({ data: { id: event.id } })
    return Response.json({ received: true })
  } catch {
    return new Response('bad signature', { status: 400 })
  }
}
