'use client'
import { useAuth } from '@clerk/nextjs'

export default function Orders() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) return null // expect: client-only-auth
  return <p>Your orders</p>
}
