'use client'
import { useAuth } from '@clerk/nextjs'

// Not in the navigation table: the middleware does not protect it.
export default function Billing() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) return null // expect: client-only-auth
  return <p>Plans</p>
}
