'use client'
import { useUser } from '@clerk/nextjs'

// Not in the table: the middleware lets a signed-out request through.
export default function Lessons() {
  const { isSignedIn } = useUser()
  if (!isSignedIn) return null // expect: client-only-auth
  return <p>Lessons</p>
}
