import { auth } from '@clerk/nextjs/server'
import { createServerActionProcedure } from 'zsa'

export const authedProcedure = createServerActionProcedure().handler(async () => {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return { userId }
})

// A procedure built on another one: the parent's handler runs first.
export const orgProcedure = createServerActionProcedure(authedProcedure).handler(async ({ ctx }) => {
  return { ...ctx, orgId: 'org_1' }
})
