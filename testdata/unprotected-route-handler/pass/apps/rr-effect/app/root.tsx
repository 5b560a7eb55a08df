import { Outlet } from 'react-router'
import { rootAuthLoader } from '@clerk/react-router/ssr.server'

export async function loader(args: { request: Request; context: unknown }) {
  return rootAuthLoader(args)
}

export default function App() {
  return <Outlet />
}
