import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/account(.*)'])

// @clerk/nextjs v5: `auth().protect()` is synchronous and throws; `auth.protect` is not the
// async v6 API (reading v5 code stays as it is).
export default clerkMiddleware((auth, req) => {
  if (isAccountRoute(req)) auth().protect()
  if (req.nextUrl.pathname.startsWith('/admin')) auth.protect()
})
