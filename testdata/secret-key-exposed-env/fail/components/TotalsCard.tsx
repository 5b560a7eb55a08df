'use client'
import { useTotals } from '../lib/totals-query'

export function TotalsCard() {
  const totals = useTotals()
  return <p>{totals.length}</p>
}
