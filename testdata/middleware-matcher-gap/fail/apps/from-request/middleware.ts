import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

export default clerkMiddleware(async (auth, req) => {
  const isPublicRoute = createRouteMatcher([req.nextUrl.pathname]) // expect: middleware-matcher-gap
  if (!isPublicRoute(req)) await auth.protect()
})
