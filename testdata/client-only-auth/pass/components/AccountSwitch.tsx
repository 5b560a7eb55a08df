'use client'
import { SignInButton, SignOutButton, useUser } from '@clerk/nextjs'

// A sign-in/sign-out switch: signed in, it shows the user's own name from Clerk and a
// sign-out button; nothing the server sends is behind it.
export function AccountSwitch() {
  const { isSignedIn, user } = useUser()
  if (isSignedIn) {
    return (
      <div className="account">
        <span>{user.firstName || user.emailAddresses[0].emailAddress}</span>
        <SignOutButton>
          <button className="ghost">Sign out</button>
        </SignOutButton>
      </div>
    )
  }
  return <SignInButton />
}
