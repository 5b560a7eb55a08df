import { redirect } from 'react-router'
import { getAuth } from '@clerk/react-router/server'

export async function requireUserId(args: { request: Request; context: unknown; params: unknown }) {
  const { userId } = await getAuth(args as never)
  if (!userId) throw redirect('/sign-in')
  return userId
}

// React Router middleware that stops a signed-out request before any loader of the routes
// below it runs.
export const requireUser = async (args: { request: Request; context: unknown; params: unknown }, next: () => Promise<Response>) => {
  const { userId } = await getAuth(args as never)
  if (!userId) throw redirect('/sign-in')
  return next()
}
