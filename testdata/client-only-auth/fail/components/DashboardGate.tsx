'use client'
import { SignedIn, SignedOut, RedirectToSignIn } from '@clerk/nextjs'
import { Stats } from './Stats'

export function DashboardGate() {
  return (
    <>
      <SignedIn>
        <Stats />
      </SignedIn>
      <SignedOut>
        <RedirectToSignIn />
      </SignedOut>
    </>
  )
}
