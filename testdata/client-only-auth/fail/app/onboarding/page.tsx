'use client'
import { useUser } from '@clerk/nextjs'

// The middleware redirects only the onboarded: a signed-out request gets this page.
export default function Onboarding() {
  const { user } = useUser()
  if (!user) { // expect: client-only-auth
    return <p>Loading…</p>
  }
  return <form>{user.firstName}</form>
}
