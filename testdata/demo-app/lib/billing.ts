import 'server-only'

export type Plan = 'free' | 'pro' | 'team'

export function planLabel(plan: Plan) {
  return { free: 'Free', pro: 'Pro', team: 'Team' }[plan]
}

export async function getInvoices(customerId: string) {
  const res = await fetch(`https://api.stripe.com/v1/invoices?customer=${customerId}`, {
    headers: { Authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
  })
  return res.json()
}
