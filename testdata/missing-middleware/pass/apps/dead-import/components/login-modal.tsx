'use client'

// A leftover component: nothing imports it, so Clerk never runs in this app.
import { SignIn } from '@clerk/nextjs'

export function LoginModal() {
  return <SignIn routing="hash" />
}
