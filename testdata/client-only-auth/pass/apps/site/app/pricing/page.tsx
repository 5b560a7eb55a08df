'use client'
// Public on purpose (the middleware's public list): a signed-in view is UI.
import { useUser } from '@clerk/nextjs'
export default function Pricing() {
  const { isSignedIn } = useUser()
  return isSignedIn ? <p>Upgrade</p> : <p>Sign up</p>
}
