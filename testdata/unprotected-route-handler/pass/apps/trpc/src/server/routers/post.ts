import { z } from 'zod'
import { auth } from '@clerk/nextjs/server'
import { TRPCError } from '@trpc/server'
import { adminProcedure, createTRPCRouter, protectedProcedure, publicProcedure } from '@/server/trpc'
import { db } from '@/server/db'

export const postRouter = createTRPCRouter({
  // Public on purpose: listed in `public_routes` of clerk-guard.toml.
  list: publicProcedure.query(() => db.post.findMany()),
  create: protectedProcedure
    .input(z.object({ title: z.string() }))
    .mutation(({ input }) => db.post.create({ data: input })),
  remove: adminProcedure.input(z.string()).mutation(({ input }) => db.post.create({ data: input })),
  mine: publicProcedure.query(async () => {
    const { userId } = await auth()
    if (!userId) throw new TRPCError({ code: 'UNAUTHORIZED' })
    return db.post.findMany()
  }),
})
