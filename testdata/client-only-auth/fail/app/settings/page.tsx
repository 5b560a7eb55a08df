'use client'
import { useUser } from '@clerk/nextjs'

export default function Settings() {
  const { isLoaded, isSignedIn, user } = useUser()
  if (!isLoaded) return <p>Loading…</p>
  if (!isSignedIn) return <p>Please sign in.</p> // expect: client-only-auth
  return <h1>Settings for {user.fullName}</h1>
}
