import { auth } from '@clerk/nextjs/server'
import { createSafeActionClient } from 'next-safe-action'
import { requireSession } from './session-middleware'

export const actionClient = createSafeActionClient({
  handleServerError: (e) => e.message,
})

export const authActionClient = actionClient
  .use(async ({ next }) => {
    console.log('start')
    return next()
  })
  .use(async ({ next }) => {
    const { userId } = await auth()
    if (!userId) throw new Error('Unauthorized')
    return next({ ctx: { userId } })
  })

// A client built from another client.
export const adminActionClient = authActionClient.use(async ({ next, ctx }) => next({ ctx }))

// A named middleware from another file.
export const sessionClient = createSafeActionClient().use(requireSession)

// Hands the session on in `ctx`; each action checks it.
export const ctxActionClient = createSafeActionClient().use(async ({ next }) => {
  const { userId } = await auth()
  return next({ ctx: { userId } })
})
