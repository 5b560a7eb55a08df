import { Outlet, redirect } from 'react-router'
import { getAuth } from '@clerk/react-router/server'
import type { Route } from './+types/dashboard-layout'

// Guards only this loader: child loaders run in parallel with it.
export async function loader(args: Route.LoaderArgs) {
  const { userId } = await getAuth(args)
  if (!userId) throw redirect('/sign-in')
  return { userId }
}

export default function Layout() {
  return <Outlet />
}
