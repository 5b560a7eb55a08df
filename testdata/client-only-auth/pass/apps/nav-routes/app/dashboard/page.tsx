'use client'
import { useAuth } from '@clerk/nextjs'

export default function Page() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) return null
  return <p>Members only</p>
}
