import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import { localize } from './lib/localize'

// The matcher only decides which paths get the locale rewrite: nothing is gated by it, so a
// request that slips past it loses a rewrite, not a check.
const skipsLocale = createRouteMatcher(['/api(.*)', '/robots.txt'])

export default clerkMiddleware(async (auth, req) => {
  if (skipsLocale(req)) {
    return NextResponse.next()
  }
  return localize(req)
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)', '/(api|trpc)(.*)'],
}
