import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// `/attendance` has no page yet: a dead entry leaves nothing open.
const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/reports(.*)', '/attendance(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
