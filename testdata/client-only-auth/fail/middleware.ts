import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Only /billing is protected: every page below is open on the server.
const isProtectedRoute = createRouteMatcher(['/billing(.*)'])
const isOnboardingRoute = createRouteMatcher(['/onboarding(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
  // Only the onboarded are sent away: a signed-out request is served the page.
  const { userId, sessionClaims } = await auth()
  if (isOnboardingRoute(req)) {
    if (userId && sessionClaims?.metadata?.onboarded === true) {
      return NextResponse.redirect(new URL('/', req.url))
    }
  }
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
