import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Called by server/edge.ts through the barrel: the middleware it builds runs.
export function createAppMiddleware(publicRoutes: string[]) {
  const isPublic = createRouteMatcher(publicRoutes)
  return clerkMiddleware(async (auth, req) => { // expect: authorized-parties-unset
    if (!isPublic(req)) await auth.protect()
  })
}

