import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Exact public paths, and a public tree that holds only pages.
const isPublicRoute = createRouteMatcher(['/', '/api/webhooks/clerk', '/sign-in(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
