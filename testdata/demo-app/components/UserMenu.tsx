'use client'

import { UserButton, useUser } from '@clerk/nextjs'
import { clerkAppearance, clerkBackend } from '@/lib/clerk-config'

export function UserMenu() {
  const { user } = useUser()
  return (
    <nav data-backend={clerkBackend.apiUrl}>
      <span>{user?.firstName}</span>
      <UserButton appearance={clerkAppearance} />
    </nav>
  )
}
