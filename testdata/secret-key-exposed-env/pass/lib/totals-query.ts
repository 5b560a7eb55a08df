import { TotalsDto } from './totals-service'
import { PeriodDto } from './totals-service'

// Re-exported for the callers' types: this names the service's type, not the import above,
// which only types use (the compiler drops it, and the service stays on the server).
export type { TotalsDto } from './totals-service'

// Exported as a type only: the binding's value never leaves this module.
export type { PeriodDto }

export function useTotals(): TotalsDto[] {
  return []
}
