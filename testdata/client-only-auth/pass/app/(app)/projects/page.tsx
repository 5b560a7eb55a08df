'use client'
import { useUser } from '@clerk/nextjs'

export default function Projects() {
  const { isSignedIn } = useUser()
  if (!isSignedIn) return <p>Please sign in.</p>
  return <h1>Projects</h1>
}
