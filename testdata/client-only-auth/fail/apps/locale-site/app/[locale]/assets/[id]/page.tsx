'use client'
import { useAuth } from '@clerk/nextjs'

// The middleware lets every path containing `/assets/` through untouched, this page's
// (`/en/assets/42`) too: only the browser gates it.
export default function Asset() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) { // expect: client-only-auth
    return <p>Please sign in</p>
  }
  return <h1>Your upload</h1>
}
