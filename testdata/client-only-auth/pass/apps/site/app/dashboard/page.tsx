'use client'
// Protected by the allow-list middleware.
import { useUser } from '@clerk/nextjs'
export default function Dashboard() {
  const { isSignedIn } = useUser()
  if (!isSignedIn) return null
  return <p>Dashboard</p>
}
