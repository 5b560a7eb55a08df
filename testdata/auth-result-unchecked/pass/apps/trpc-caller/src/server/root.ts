import { createCallerFactory, protectedProcedure, publicProcedure, router } from './trpc'

export const appRouter = router({
  health: publicProcedure.query(() => 'ok'),
  notes: protectedProcedure.query(({ ctx }) => [{ owner: ctx.userId }]),
})

export const createCaller = createCallerFactory(appRouter)
