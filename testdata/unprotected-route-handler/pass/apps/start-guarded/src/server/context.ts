import { createMiddleware } from '@tanstack/react-start'
import { getAuth } from '@clerk/tanstack-react-start/server'
import { getWebRequest } from '@tanstack/react-start/server'

// Rejects no one: it hands the session's user id (or null) to the handlers on.
export const withUserId = createMiddleware({ type: 'function' }).server(async ({ next }) => {
  const { userId } = await getAuth(getWebRequest()!)
  return next({ context: { userId } })
})
