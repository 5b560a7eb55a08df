import type { LoaderFunction } from '@remix-run/node'
import { rootAuthLoader } from '@clerk/remix/ssr.server'
import { ClerkApp } from '@clerk/remix'
import { Outlet } from '@remix-run/react'

export const loader: LoaderFunction = (args) => rootAuthLoader(args)

function App() {
  return <Outlet />
}

export default ClerkApp(App)
