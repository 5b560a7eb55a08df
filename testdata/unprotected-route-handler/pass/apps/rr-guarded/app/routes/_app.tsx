import { Outlet } from 'react-router'
import { requireUser } from '../session.server'

export const middleware = [requireUser]

export default function AppLayout() {
  return <Outlet />
}
