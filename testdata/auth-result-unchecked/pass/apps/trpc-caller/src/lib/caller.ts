import { auth } from '@clerk/nextjs/server'
import { appRouter, createCaller } from '@/server/root'

// The session becomes the procedures' context, which their middleware tests.
export async function serverCaller() {
  const { userId, orgId } = await auth()
  return appRouter.createCaller({ userId, orgId })
}

// The same, through a caller made by `createCallerFactory`.
export async function factoryCaller() {
  const { userId, orgId } = await auth()
  return createCaller({ userId, orgId })
}
