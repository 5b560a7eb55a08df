'use client'
import { useUser } from '@clerk/nextjs'

// The table gives /admin to admins only: a signed-out request is redirected by the middleware.
export default function Admin() {
  const { isSignedIn } = useUser()
  if (!isSignedIn) return null
  return <p>Admin tools</p>
}
