import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isPublicRoute = createRouteMatcher([
  '/',
  '/api/sync(.*)',
  '/api/link(.*)',
  '/api/profile(.*)',
  '/api/contact(.*)',
  '/api/lookup(.*)',
])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
