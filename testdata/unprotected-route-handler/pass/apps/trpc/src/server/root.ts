import { createTRPCRouter, mergeRouters } from '@/server/trpc'
import { postRouter } from '@/server/routers/post'
import { userRouter } from '@/server/routers/user'

const mainRouter = createTRPCRouter({
  post: postRouter,
})

export const appRouter = mergeRouters(mainRouter, createTRPCRouter({ user: userRouter }))

export type AppRouter = typeof appRouter
