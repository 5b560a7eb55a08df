import { clerkMiddleware, createRouteMatcher } from '@clerk/astro/server'

const isAccountRoute = createRouteMatcher(['/account(.*)'])

export const onRequest = clerkMiddleware((auth, context) => {
  const { userId, redirectToSignIn } = auth()
  if (isAccountRoute(context.request) && !userId) {
    return redirectToSignIn()
  }
})
