import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/api/account(.*)'])

// Returned, the promise reaches `clerkMiddleware`, which awaits it.
export default clerkMiddleware((auth, req) => {
  if (isAccountRoute(req)) return auth.protect()
})
