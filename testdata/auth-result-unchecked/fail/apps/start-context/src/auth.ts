import { createMiddleware } from '@tanstack/react-start'
import { getAuth } from '@clerk/tanstack-react-start/server'
import { getWebRequest } from '@tanstack/react-start/server'

// The user id is read and dropped: the continuation gets nothing of it.
export const withTrace = createMiddleware({ type: 'function' }).server(async (ctx) => {
  const { userId } = await getAuth(getWebRequest()!) // expect: auth-result-unchecked
  console.log('trace', typeof userId)
  return ctx.next({ context: { traced: true } })
})
