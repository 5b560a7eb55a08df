import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import type { ClerkMiddlewareAuth } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/account(.*)'])
const isAdminRoute = createRouteMatcher(['/admin(.*)'])

function requireMember(auth: ClerkMiddlewareAuth) {
  auth.protect() // expect: unawaited-protect
}

export default clerkMiddleware(async (auth, req) => {
  if (isAccountRoute(req)) auth.protect() // expect: unawaited-protect
  isAdminRoute(req) && auth.protect({ role: 'org:admin' }) // expect: unawaited-protect
  if (req.nextUrl.pathname.startsWith('/billing')) requireMember(auth)
})
