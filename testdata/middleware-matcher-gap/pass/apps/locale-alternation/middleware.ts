import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// path-to-regexp groups, not route-group folders: `(en|fr)` is the locale of
// app/[lang], `(.*)` a wildcard, and `(shop)` the real folder app/[lang]/shop.
const isProtectedRoute = createRouteMatcher([
  '/(en|fr)/account(.*)',
  '/(en|fr)/orders/(.*)',
  '/(en|fr)/(shop)(.*)',
])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})
