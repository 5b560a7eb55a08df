import { TRPCError } from '@trpc/server'
import { createTRPCRouter, publicProcedure } from '@/server/trpc'

const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth.userId) throw new TRPCError({ code: 'UNAUTHORIZED' })
  return next()
})

export const legacyRouter = createTRPCRouter({
  stats: signedInProcedure.query(() => ({ users: 1 })),
  rename: signedInProcedure.mutation(() => ({ ok: true })),
})
