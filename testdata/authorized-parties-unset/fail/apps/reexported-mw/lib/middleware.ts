import { clerkMiddleware } from '@clerk/nextjs/server'

// Not where Next.js looks for a middleware, but the root middleware.ts re-exports it: it runs.
export default clerkMiddleware() // expect: authorized-parties-unset

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)'],
}
