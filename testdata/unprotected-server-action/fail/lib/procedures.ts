import { createServerActionProcedure } from 'zsa'

// A zsa procedure that only times the call.
export const timedProcedure = createServerActionProcedure().handler(async () => {
  return { startedAt: Date.now() }
})
