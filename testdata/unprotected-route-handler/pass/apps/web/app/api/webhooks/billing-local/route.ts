import Stripe from 'stripe'
import { db } from '@/lib/prisma'

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!)

function signedEvent(payload: string, signature: string) {
  return stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!)
}

// One more level: the helper returns what another helper verified.
function billingEvent(payload: string, signature: string) {
  return signedEvent(payload, signature)
}

export async function POST(req: Request) {
  const event = billingEvent(await req.text(), req.headers.get('stripe-signature') ?? '')
  await db.payment.create({ data: { id: event.id } })
  return Response.json({ received: true })
}
