'use client'
import { useUser } from '@clerk/nextjs'

export default function Teachers() {
  const { isSignedIn } = useUser()
  if (!isSignedIn) return null
  return <p>Teachers</p>
}
