import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Matches the URL, not the route-group folder.
const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})
