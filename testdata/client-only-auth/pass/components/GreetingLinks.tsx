'use client'
import Link from 'next/link'
import { SignInButton, useUser } from '@clerk/nextjs'

export function GreetingLinks() {
  const { isSignedIn, user } = useUser()
  return isSignedIn ? (
    <div>
      <p className="lead">Welcome back, {user?.firstName}</p>
      <Link href="/protected/plans">Your plans</Link>
    </div>
  ) : (
    <SignInButton />
  )
}
