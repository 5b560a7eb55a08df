import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Only /billing is protected: every page below is open on the server.
const isProtectedRoute = createRouteMatcher(['/billing(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
