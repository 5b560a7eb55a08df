'use client'
import Link from 'next/link'
import { SignInButton, useUser } from '@clerk/nextjs'
import { Stats } from './Stats'

// Links and the user's name, but also a project component: what it renders is not known to
// be markup alone.
export function GreetingCard() {
  const { isSignedIn, user } = useUser()
  return isSignedIn ? (
    <main>
      <p>Hi {user?.firstName}</p>
      <Link href="/billing">Billing</Link>
      <Stats />
    </main>
  ) : (
    <SignInButton />
  )
}
