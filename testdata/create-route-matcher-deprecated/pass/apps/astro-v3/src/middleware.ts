import { clerkMiddleware, createRouteMatcher } from '@clerk/astro/server'

// Near miss: @clerk/astro 3 still exports the matcher.
const isProtected = createRouteMatcher(['/account(.*)'])

export const onRequest = clerkMiddleware((auth, context) => {
  if (isProtected(context.request) && !auth().userId) {
    return auth().redirectToSignIn()
  }
})
