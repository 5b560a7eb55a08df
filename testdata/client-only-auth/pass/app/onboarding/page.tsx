'use client'
import { useUser } from '@clerk/nextjs'

// The middleware sends a signed-out request away before this page is served.
export default function Onboarding() {
  const { user } = useUser()
  if (!user) {
    return <p>Loading…</p>
  }
  return <form>{user.firstName}</form>
}
