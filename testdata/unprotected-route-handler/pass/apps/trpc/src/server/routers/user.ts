import { createTRPCRouter, protectedProcedure } from '@/server/trpc'

export const userRouter = createTRPCRouter({
  me: protectedProcedure.query(({ ctx }) => ctx.auth.userId),
  settings: createTRPCRouter({
    get: protectedProcedure.query(() => ({ theme: 'dark' })),
  }),
})
