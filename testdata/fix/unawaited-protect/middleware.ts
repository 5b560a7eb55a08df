import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isAccountRoute = createRouteMatcher(['/account(.*)'])

export default clerkMiddleware((auth, req) => {
  if (isAccountRoute(req)) auth.protect()
})

export const config = {
  matcher: ['/((?!_next|.*\\..*).*)', '/(api|trpc)(.*)'],
}
