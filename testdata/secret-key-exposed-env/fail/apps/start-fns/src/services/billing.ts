export async function loadTotals() {
  const res = await fetch('https://billing.example.com/totals', {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` }, // expect: secret-key-exposed-env
  })
  return res.json()
}
