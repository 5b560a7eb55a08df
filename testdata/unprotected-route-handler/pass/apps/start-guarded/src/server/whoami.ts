import { createServerFn } from '@tanstack/react-start'
import { getAuth } from '@clerk/tanstack-react-start/server'
import { getWebRequest } from '@tanstack/react-start/server'

// Hands the caller its own session state (null when signed out): reading the request and
// the session is no work.
export const whoAmI = createServerFn({ method: 'GET' }).handler(async () => {
  const request = getWebRequest()
  if (!request) throw new Error('no request')
  const { userId } = await getAuth(request)
  return { userId }
})
