import { createMiddleware } from '@tanstack/react-start'
import { getAuth } from '@clerk/tanstack-react-start/server'
import { getWebRequest } from '@tanstack/react-start/server'

// Handed on through the continuation read off the middleware's parameter: the server
// functions behind it test `context.userId`.
export const withUserId = createMiddleware({ type: 'function' }).server(async (ctx) => {
  const { userId } = await getAuth(getWebRequest()!)
  return ctx.next({ context: { userId } })
})
