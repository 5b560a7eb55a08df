import type { LoaderFunction } from '@remix-run/node'
import { rootAuthLoader } from '@clerk/remix/ssr.server'
import { Outlet } from '@remix-run/react'

export const loader: LoaderFunction = (args) => rootAuthLoader(args)

export default function App() {
  return <Outlet />
}
