import { createServerActionProcedure } from 'zsa'

// A zsa procedure that only times the call.
export const timedProcedure = createServerActionProcedure().handler(async () => {
  return { startedAt: Date.now() }
})

// Built on the timing procedure: still no session check anywhere in the chain.
export const tracedProcedure = createServerActionProcedure(timedProcedure).handler(async ({ ctx }) => {
  return { ...ctx, traced: true }
})
