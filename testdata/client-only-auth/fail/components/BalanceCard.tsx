'use client'
import { useEffect, useState } from 'react'
import { SignInButton, useUser } from '@clerk/nextjs'

// Signed-out visitors get a button; the rest is state the app fetched.
export function BalanceCard() {
  const { isSignedIn } = useUser()
  const [balance, setBalance] = useState(0)
  useEffect(() => {
    fetch('/api/balance').then((r) => r.json()).then((b) => setBalance(b.total))
  }, [])
  if (!isSignedIn) return <SignInButton />
  return <p>{balance}</p>
}
