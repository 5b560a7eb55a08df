import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isPublicRoute = createRouteMatcher([
  '/',
  '/api/sync(.*)',
  '/api/link(.*)',
  '/api/profile(.*)',
  '/api/contact(.*)',
  '/api/lookup(.*)',
  '/api/uploads/webhook',
  '/api/billing/webhook',
  '/api/mail/webhook',
])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect()
})
