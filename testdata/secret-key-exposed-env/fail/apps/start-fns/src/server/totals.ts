import { createServerFn } from '@tanstack/react-start'
import { loadTotals } from '../services/billing'

export const getTotals = createServerFn({ method: 'GET' }).handler(async () => {
  return loadTotals()
})

// Used outside a server function too: this module's client copy keeps the import.
export const prefetch = () => loadTotals()
