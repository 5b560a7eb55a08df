import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// A public tree is not a declaration of each handler under it.
const isPublicRoute = createRouteMatcher(['/', '/api(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
