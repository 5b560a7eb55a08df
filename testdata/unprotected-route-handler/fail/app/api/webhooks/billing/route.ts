import { readBillingEvent } from '@/lib/billing-events'
import { db } from '@/lib/db'

export async function POST(req: Request) { // expect: unprotected-route-handler
  const signature = req.headers.get('stripe-signature')
  if (!signature) return new Response('missing signature', { status: 400 })
  const event = readBillingEvent(await req.text(), signature)
  await db.payment.create({ data: { id: event.id } })
  return Response.json({ received: true })
}
