import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { navLinks } from './lib/nav'

// Every page of the navigation needs a session.
const routes = navLinks.map((link) => link.route)
const isProtectedRoute = createRouteMatcher(routes)

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
