'use client'
// Personalisation, not a gate: Clerk widgets and a self-hiding menu in a larger page.
import { SignedIn, SignedOut, SignInButton, UserButton } from '@clerk/nextjs'
import { UserMenu } from '@/components/UserMenu'

export default function Home() {
  return (
    <main>
      <header>
        <SignedIn>
          <UserButton />
        </SignedIn>
        <SignedOut>
          <SignInButton />
        </SignedOut>
      </header>
      <UserMenu />
      <h1>Welcome</h1>
    </main>
  )
}
