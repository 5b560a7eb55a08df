'use client'
import { useUser } from '@clerk/nextjs'
export function ClientDashboard() {
  const { user } = useUser()
  if (!user) return <p>Sign in</p>
  return <p>{user.id}</p>
}
