import { initTRPC } from '@trpc/server'

const t = initTRPC.context<{ userId: string | null; orgId: string | null }>().create()

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure

// Logs the caller, rejects nothing.
export const loggedProcedure = t.procedure.use(({ ctx, next }) => {
  console.log('caller', ctx.userId)
  return next()
})
