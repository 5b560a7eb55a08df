export const BILLING_PLANS = ['free', 'pro']

export async function loadBilling(userId) {
  const res = await fetch(`https://billing.example.com/${userId}`, {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` }, // expect: secret-key-exposed-env
  })
  return res.json()
}
