import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { publicPaths } from './lib/public-paths'

const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', ...publicPaths])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) {
    await auth.protect()
  }
})

export const config = {
  matcher: ['/((?!.*\\..*|_next).*)', '/', '/(api|trpc)(.*)'],
}
