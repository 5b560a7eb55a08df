import { redirect } from 'react-router'
import { getAuth } from '@clerk/react-router/server'

export async function requireSignedIn(args: { request: Request; context: unknown }, next: () => Promise<Response>) {
  const { userId } = await getAuth(args as never)
  if (!userId) throw redirect('/sign-in')
  return next()
}
