import { clerkMiddleware, createRouteMatcher } from '@clerk/astro/server' // expect: create-route-matcher-deprecated

// Written for @clerk/astro 3: the installed 4.x no longer exports the matcher.
const isProtected = createRouteMatcher(['/account(.*)'])

export const onRequest = clerkMiddleware((auth, context) => {
  if (isProtected(context.request) && !auth().userId) {
    return auth().redirectToSignIn()
  }
})
