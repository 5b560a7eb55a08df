export async function loadTotals() {
  const res = await fetch('https://billing.example.com/totals', {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
  })
  return res.json()
}
