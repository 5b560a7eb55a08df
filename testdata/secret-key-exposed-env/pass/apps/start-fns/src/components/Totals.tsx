'use client'
import { getTotals } from '../server/totals'

export function Totals() {
  void getTotals()
  return <p>totals</p>
}
