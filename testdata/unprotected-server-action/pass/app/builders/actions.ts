'use server'

import { z } from 'zod'
import { auth } from '@clerk/nextjs/server'
import { createServerAction } from 'zsa'
import {
  actionClient,
  adminActionClient,
  authActionClient,
  ctxActionClient,
  sessionClient,
} from '@/lib/safe-action'
import { authedProcedure, orgProcedure } from '@/lib/procedures'
import { withAuth } from '@/lib/with-auth'
import { db } from '@/lib/db'

const renameSchema = z.object({ id: z.string(), name: z.string() })

export const renameProject = authActionClient
  .schema(renameSchema)
  .action(async ({ parsedInput, ctx }) => {
    await db.update(parsedInput.id, ctx.userId)
  })

export const archiveProject = authActionClient
  .metadata({ actionName: 'archive' })
  .outputSchema(z.void())
  .inputSchema(z.string())
  .action(async ({ parsedInput }) => {
    await db.remove(parsedInput)
  })

export const promoteMember = adminActionClient.inputSchema(z.string()).action(async ({ parsedInput }) => {
  await db.update(parsedInput, 'admin')
})

export const inviteMember = sessionClient.action(async () => {
  await db.insert('x', 'invite')
})

export const pingProject = actionClient.action(async () => {
  await auth.protect()
  await db.update('p', 'ping')
})

export const addTag = authedProcedure
  .createServerAction()
  .input(z.string())
  .handler(async ({ input, ctx }) => {
    await db.insert(ctx.userId, input)
  })

export const removeTag = createServerAction()
  .input(z.string())
  .handler(async ({ input }) => {
    await auth.protect()
    await db.remove(input)
  })

export const purgeTags = withAuth(async (userId: string, id: string) => {
  await db.remove(`${userId}:${id}`)
})

export const renameTag = orgProcedure
  .createServerAction()
  .input(z.string())
  .handler(async ({ input, ctx }) => {
    await db.update(input, ctx.orgId)
  })

export const starProject = ctxActionClient.inputSchema(z.string()).action(async ({ parsedInput, ctx }) => {
  if (!ctx.userId) throw new Error('Unauthorized')
  await db.update(parsedInput, ctx.userId)
})

export const unstarProject = ctxActionClient.inputSchema(z.string()).action(async ({ parsedInput, ctx }) => {
  const { userId } = ctx
  if (!userId) {
    return { error: 'Unauthorized' }
  }
  await db.update(parsedInput, userId)
})

export const pinProject = ctxActionClient
  .inputSchema(z.string())
  .action(async ({ parsedInput, ctx: { userId } }) => {
    try {
      if (!userId) {
        throw new Error('Unauthorized')
      }
      await db.update(parsedInput, userId)
    } catch (e) {
      return { error: String(e) }
    }
  })

// Every parameter property destructured further: `ctx.userId` is still the tested value.
export const moveProject = ctxActionClient
  .inputSchema(z.object({ id: z.string(), to: z.string() }))
  .action(async ({ parsedInput: { id, to }, ctx: { userId } }) => {
    try {
      if (!userId) {
        throw new Error('Unauthorized')
      }
      await db.update(id, `${userId}:${to}`)
    } catch (e) {
      return { error: String(e) }
    }
  })
