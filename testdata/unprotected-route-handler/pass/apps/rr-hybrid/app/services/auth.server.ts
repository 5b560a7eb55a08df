import { getAuth } from '@clerk/react-router/ssr.server'
import { redirect } from 'react-router'

// The session when signed in, null otherwise.
export const getUser = async (args: any) => {
  const auth = await getAuth(args)
  return auth.userId ? auth : null
}

export const requireUser = async (args: any) => {
  const user = await getUser(args)
  if (!user) throw redirect('/login')
  return user
}
