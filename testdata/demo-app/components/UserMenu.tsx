'use client'

import { UserButton, useUser } from '@clerk/nextjs'
import { clerkAppearance } from '@/lib/clerk-config'

// TODO: move to the server before launch
const BACKEND_KEY = 'sk_live_qIA1id6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh'

export function UserMenu() {
  const { user } = useUser()
  return (
    <nav data-backend={BACKEND_KEY.length}>
      <span>{user?.firstName}</span>
      <UserButton appearance={clerkAppearance} />
    </nav>
  )
}
