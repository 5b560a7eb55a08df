import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isMemberRoute = createRouteMatcher([
  '/(en|fr)/settings(.*)',
  '/(en|fr)/(members)(.*)', // expect: middleware-matcher-gap
])

export default clerkMiddleware(async (auth, req) => {
  if (isMemberRoute(req)) await auth.protect()
})
