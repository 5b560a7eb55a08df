import { Outlet } from 'react-router'
import { clerkMiddleware, rootAuthLoader } from '@clerk/react-router/server'

export const middleware = [clerkMiddleware()]

// Session state for ClerkProvider only: no data of its own.
export async function loader(args: { request: Request; context: unknown }) {
  return rootAuthLoader(args)
}

export default function App() {
  return <Outlet />
}
