import { TotalsDto, loadTotals } from './totals-service'

export type { TotalsDto } from './totals-service'

// A value of the service is used: the import stays, and the service ships with it.
export function useTotals(): TotalsDto[] {
  void loadTotals()
  return []
}
