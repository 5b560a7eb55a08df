import { auth } from '@clerk/nextjs/server'
import { initTRPC } from '@trpc/server'

export const createTRPCContext = async (opts: { headers: Headers }) => {
  return { auth: await auth(), ...opts }
}

const t = initTRPC.context<typeof createTRPCContext>().create()

export const createTRPCRouter = t.router
export const publicProcedure = t.procedure

// Reads the session, but lets a signed-out caller through.
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  console.log('caller', ctx.auth.userId)
  return next({ ctx })
})
