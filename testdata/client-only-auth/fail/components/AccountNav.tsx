'use client'
import { SignedIn, SignedOut } from '@clerk/nextjs'
import { Button } from '@acme/ui/button'
import { UsageMeter } from './UsageMeter'

// The same switch, but a UI kit's component given a value and one of the app's own
// components: either may render what the server sent.
export function AccountNav({ plan }: { plan: string }) {
  return (
    <nav>
      <SignedIn>
        <Button variant={plan}>Upgrade</Button>
        <UsageMeter />
      </SignedIn>
      <SignedOut>
        <a href="/sign-in">Sign in</a>
      </SignedOut>
    </nav>
  )
}
