import { auth } from '@clerk/nextjs/server'
import { createSafeActionClient } from 'next-safe-action'

export const actionClient = createSafeActionClient()

// Logs every call, but lets a signed-out request through.
export const loggedActionClient = actionClient.use(async ({ next, metadata }) => {
  console.log('action', metadata)
  return next()
})

// Reads the session, but never rejects without one.
export const softAuthClient = createSafeActionClient().use(async ({ next }) => {
  const { userId } = await auth()
  return next({ ctx: { userId } })
})
