import { initTRPC, TRPCError } from '@trpc/server'

const t = initTRPC.context<{ userId: string | null; orgId: string | null }>().create()

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure

// Rejects a call whose context has no user.
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: 'UNAUTHORIZED' })
  return next({ ctx: { ...ctx, userId: ctx.userId } })
})
