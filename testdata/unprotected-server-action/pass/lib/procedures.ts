import { auth } from '@clerk/nextjs/server'
import { createServerActionProcedure } from 'zsa'

export const authedProcedure = createServerActionProcedure().handler(async () => {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return { userId }
})
