export interface BillingRow {
  plan: string
}

export async function loadBilling(userId: string | null): Promise<BillingRow> {
  const res = await fetch(`https://billing.example.com/${userId}`, {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
  })
  return res.json()
}
