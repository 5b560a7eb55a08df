import { TRPCError } from '@trpc/server'
import { createTRPCRouter, publicProcedure } from '@/server/trpc'

// Rejects a missing `ctx.user`, but the context below takes it from a request header.
const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' })
  return next()
})

export const internalRouter = createTRPCRouter({
  stats: userProcedure.query(() => ({ users: 1 })),
})
