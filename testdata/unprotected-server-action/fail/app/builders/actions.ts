'use server'

import { z } from 'zod'
import { createServerAction } from 'zsa'
import { actionClient, loggedActionClient, softAuthClient } from '@/lib/safe-action'
import { timedProcedure, tracedProcedure } from '@/lib/procedures'
import { withLogging } from '@/lib/with-logging'
import { db } from '@/lib/db'

const renameSchema = z.object({ id: z.string(), name: z.string() })

export const renameProject = loggedActionClient // expect: unprotected-server-action
  .schema(renameSchema)
  .action(async ({ parsedInput }) => {
    await db.update(parsedInput.id, parsedInput.name)
  })

export const archiveProject = actionClient.inputSchema(z.string()).action(async ({ parsedInput }) => { // expect: unprotected-server-action
  await db.remove(parsedInput)
})

export const shareProject = softAuthClient // expect: unprotected-server-action
  .metadata({ actionName: 'share' })
  .inputSchema(z.string())
  .action(async ({ parsedInput, ctx }) => {
    await db.update(parsedInput, String(ctx.userId))
  })

export const removeTag = timedProcedure // expect: unprotected-server-action
  .createServerAction()
  .input(z.string())
  .handler(async ({ input }) => {
    await db.remove(input)
  })

export const addTag = createServerAction() // expect: unprotected-server-action
  .input(z.string())
  .handler(async ({ input }) => {
    await db.insert('anonymous', input)
  })

export const purgeTags = withLogging(async (id: string) => { // expect: unprotected-server-action
  await db.remove(id)
})

export const renameTag = tracedProcedure // expect: unprotected-server-action
  .createServerAction()
  .input(z.string())
  .handler(async ({ input }) => {
    await db.update(input, 'renamed')
  })

// Reads the session-backed `ctx`, but tests something else.
export const unshareProject = softAuthClient.inputSchema(z.string()).action(async ({ parsedInput, ctx }) => { // expect: unprotected-server-action
  const { userId } = ctx
  if (!parsedInput) {
    return { error: 'Missing id' }
  }
  await db.update(parsedInput, String(userId))
})

// Every parameter property destructured further, and only the input is tested.
export const moveProject = softAuthClient // expect: unprotected-server-action
  .inputSchema(z.object({ id: z.string(), to: z.string() }))
  .action(async ({ parsedInput: { id, to }, ctx: { userId } }) => {
    if (!id) {
      throw new Error('Missing id')
    }
    await db.update(id, `${userId}:${to}`)
  })
