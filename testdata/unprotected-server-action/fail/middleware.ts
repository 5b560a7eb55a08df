import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Protects every page but the sign-in page: an action can be posted to `/sign-in`, so
// server actions still need their own check.
const isPublicRoute = createRouteMatcher(['/sign-in(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
