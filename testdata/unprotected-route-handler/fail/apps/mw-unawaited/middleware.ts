import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/api/account(.*)'])

// v6: `auth.protect()` returns a promise nobody awaits; the request goes through.
export default clerkMiddleware(async (auth, req) => {
  if (isAccountRoute(req)) auth.protect()
})
