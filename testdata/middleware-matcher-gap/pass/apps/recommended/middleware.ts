import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// `/:path*` forms stop at the segment boundary: `/publicadmin` stays protected.
const isPublicRoute = createRouteMatcher(['/public', '/public/:path*'])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
