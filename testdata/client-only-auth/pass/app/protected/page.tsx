'use client'
// The middleware protects /protected.
import { useAuth } from '@clerk/nextjs'
export default function Protected() {
  const { userId } = useAuth()
  if (!userId) return null
  return <p>{userId}</p>
}
