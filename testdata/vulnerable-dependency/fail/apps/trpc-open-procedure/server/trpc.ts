import { initTRPC, TRPCError } from '@trpc/server'
import { auth } from '@clerk/nextjs/server'

// The context reads the session, but `stats` checks nothing and does work.
export async function createContext() {
  const { userId } = await auth()
  return { userId }
}

const t = initTRPC.context<Awaited<ReturnType<typeof createContext>>>().create()

const publicProcedure = t.procedure
const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: 'UNAUTHORIZED' })
  return next({ ctx: { userId: ctx.userId } })
})

export const appRouter = t.router({
  // Public on purpose, and it does work: only the middleware stands in front of it.
  stats: publicProcedure.query(async () => {
    const res = await fetch('https://internal.example.com/stats')
    return res.json()
  }),
  notes: protectedProcedure.query(async ({ ctx }) => {
    const res = await fetch(`https://internal.example.com/users/${ctx.userId}/notes`)
    return res.json()
  }),
})
