'use client'
import { useUser } from '@clerk/nextjs'
export function UserMenu() {
  const { user } = useUser()
  if (!user) return null
  return <nav>{user.firstName}</nav>
}
