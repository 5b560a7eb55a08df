'use client'
import { useAuth } from '@clerk/nextjs'

// `/en/people/(.*)` is public on purpose (other people's profiles): the middleware declares
// this page public, whatever it renders.
export default function MyProfile() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) {
    return <p>Please sign in</p>
  }
  return <h1>Your profile</h1>
}
