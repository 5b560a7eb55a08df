import { Outlet } from 'react-router'
import { requireSignedIn } from '../auth.server'

export const middleware = [requireSignedIn]

export default function Dashboard() {
  return <Outlet />
}
