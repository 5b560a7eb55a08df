import { auth } from '@clerk/nextjs/server'
import { createSafeActionClient } from 'next-safe-action'
import { resolveAccess } from '@/lib/access'

// Handed to a project function that tests it.
export async function GET() {
  const { userId } = await auth()
  const access = resolveAccess(userId)
  return Response.json(access)
}

// Handed on to the next stage of an action client (the actions check `ctx.userId`).
export const actionClient = createSafeActionClient().use(async ({ next }) => {
  const { userId } = await auth()
  return next({ ctx: { userId } })
})
