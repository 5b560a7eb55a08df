import { createTRPCRouter } from '@/server/trpc'
import { postRouter } from '@/server/routers/post'

export const appRouter = createTRPCRouter({
  post: postRouter,
})

export type AppRouter = typeof appRouter
