import { auth } from '@clerk/nextjs/server'
import { appRouter, createCaller } from '@/server/root'

// No procedure tests the context: a signed-out caller runs them with a null user.
export async function serverCaller() {
  const { userId, orgId } = await auth() // expect: auth-result-unchecked
  return appRouter.createCaller({ userId, orgId })
}

export async function factoryCaller() {
  const { userId, orgId } = await auth() // expect: auth-result-unchecked
  return createCaller({ userId, orgId })
}
