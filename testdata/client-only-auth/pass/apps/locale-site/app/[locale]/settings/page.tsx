'use client'
import { useAuth } from '@clerk/nextjs'

// The middleware returns early only for build assets (a path with `/assets/` or ending in
// `.ico`), never for this page's path, and redirects a signed-out visitor to sign in.
export default function Settings() {
  const { isSignedIn } = useAuth()
  if (!isSignedIn) {
    return <p>Please sign in</p>
  }
  return <h1>Settings</h1>
}
