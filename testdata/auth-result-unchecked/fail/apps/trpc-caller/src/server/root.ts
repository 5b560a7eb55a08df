import { createCallerFactory, loggedProcedure, publicProcedure, router } from './trpc'

export const appRouter = router({
  health: publicProcedure.query(() => 'ok'),
  notes: loggedProcedure.query(({ ctx }) => [{ owner: ctx.userId }]),
})

export const createCaller = createCallerFactory(appRouter)
