import Stripe from 'stripe'

// A missing configuration is no gate: once configured, anyone gets the balance.
export async function GET() { // expect: unprotected-route-handler
  if (!process.env.STRIPE_SECRET_KEY) return new Response('Not configured', { status: 500 })
  const stripe = new Stripe(process.env.STRIPE_SECRET_KEY)
  return Response.json(await stripe.balance.retrieve())
}
