import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import type { ClerkMiddlewareAuth } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/account(.*)'])
const isAdminRoute = createRouteMatcher(['/admin(.*)'])
const isBillingRoute = createRouteMatcher(['/billing(.*)'])

async function requireMember(auth: ClerkMiddlewareAuth) {
  await auth.protect()
}

// Every promise of `auth.protect()` is awaited or handed back to `clerkMiddleware`.
export default clerkMiddleware(async (auth, req) => {
  if (isAccountRoute(req)) await auth.protect()
  isAdminRoute(req) && (await auth.protect({ role: 'org:admin' }))
  if (isBillingRoute(req)) await requireMember(auth)
  if (req.nextUrl.pathname.startsWith('/team')) return auth.protect()
})
