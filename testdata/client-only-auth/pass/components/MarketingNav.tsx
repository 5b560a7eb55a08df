'use client'
import { SignedIn, SignedOut } from '@clerk/nextjs'
import { Button } from '@acme/ui/button'
import { TrackedLink } from '@acme/analytics/components'

// A marketing navbar: signed-in visitors get a link to the dashboard instead of a sign-in
// link; a UI kit's components given only constants render nothing the server sent.
export function MarketingNav() {
  return (
    <nav className="flex gap-2">
      <SignedIn>
        <Button asChild variant="outline" size={2}>
          <TrackedLink
            href="/protected/dashboard?utm_source=site&utm_medium=navbar"
            event="navbar_dashboard"
            properties={{ location: 'navbar', tags: ['cta', 'top'] }}
          >
            Dashboard
          </TrackedLink>
        </Button>
      </SignedIn>
      <SignedOut>
        <Button asChild variant="outline">
          <TrackedLink href="/sign-in">Sign in</TrackedLink>
        </Button>
      </SignedOut>
    </nav>
  )
}
