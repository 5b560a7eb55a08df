export type PeriodDto = { from: string; to: string }
export type TotalsDto = { month: string; total: number }

export async function loadTotals() {
  const res = await fetch('https://billing.example.com/totals', {
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
  })
  return (await res.json()) as TotalsDto[]
}
