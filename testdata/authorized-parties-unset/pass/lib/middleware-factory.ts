import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// A factory that nothing calls, re-exported by a barrel that nothing imports: it builds no
// middleware, so it configures nothing (middleware.ts is the app's middleware).
export function createAppMiddleware(publicRoutes: string[]) {
  const isPublic = createRouteMatcher(publicRoutes)
  return clerkMiddleware(async (auth, req) => {
    if (!isPublic(req)) await auth.protect()
  })
}
