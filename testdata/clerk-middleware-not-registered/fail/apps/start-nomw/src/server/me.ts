import { createServerFn } from '@tanstack/react-start'
import { auth } from '@clerk/tanstack-react-start/server' // expect: clerk-middleware-not-registered

export const me = createServerFn({ method: 'GET' }).handler(async () => {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return { userId }
})
