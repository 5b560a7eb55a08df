import { z } from 'zod'
import { createTRPCRouter, protectedProcedure, publicProcedure } from '@/server/trpc'
import { db } from '@/server/db'

export const postRouter = createTRPCRouter({
  list: publicProcedure.query(() => db.post.findMany()),
  create: protectedProcedure
    .input(z.object({ title: z.string() }))
    .mutation(({ input }) => db.post.create({ data: input })),
})
