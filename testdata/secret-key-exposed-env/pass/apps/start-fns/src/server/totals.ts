import { createServerFn } from '@tanstack/react-start'
import { loadTotals } from '../services/billing'

// Only the handler uses the service: the client build replaces the handler with a call of
// the server, and the service's import goes with it.
export const getTotals = createServerFn({ method: 'GET' }).handler(async () => {
  return loadTotals()
})
