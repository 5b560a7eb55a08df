'use client'
// Waiting for Clerk to load is not a gate; <SignedOut> alone protects nothing.
import { useAuth, SignedOut, SignInButton } from '@clerk/nextjs'
export default function LoadingPage() {
  const { isLoaded } = useAuth()
  if (!isLoaded) return <p>Loading…</p>
  return (
    <SignedOut>
      <SignInButton />
    </SignedOut>
  )
}
