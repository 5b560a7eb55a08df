import { auth } from '@clerk/nextjs/server'
import { initTRPC, TRPCError } from '@trpc/server'

export const createTRPCContext = async (opts: { headers: Headers }) => {
  const session = await auth()
  return { auth: session, ...opts }
}

const t = initTRPC.context<typeof createTRPCContext>().create()

export const createTRPCRouter = t.router
export const mergeRouters = t.mergeRouters
export const publicProcedure = t.procedure

const isAuthed = t.middleware(({ ctx, next }) => {
  if (!ctx.auth.userId) {
    throw new TRPCError({ code: 'UNAUTHORIZED' })
  }
  return next({ ctx: { auth: ctx.auth } })
})

export const protectedProcedure = t.procedure.use(isAuthed)

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => next({ ctx }))
