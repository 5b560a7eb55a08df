export type TotalsDto = { month: string; total: number }

export async function loadTotals() {
  const res = await fetch('https://billing.example.com/totals', {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` }, // expect: secret-key-exposed-env
  })
  return (await res.json()) as TotalsDto[]
}
