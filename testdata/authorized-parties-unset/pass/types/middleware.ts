import { clerkMiddleware } from '@clerk/nextjs/server'

// A copy kept beside the types: Next.js loads only the root middleware.ts, and nothing
// imports this one.
export default clerkMiddleware()

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)'],
}
