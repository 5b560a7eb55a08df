import { clerkMiddleware } from '@clerk/astro/server'

// The session is read in each page; the middleware gates no route by a matcher.
export const onRequest = clerkMiddleware()
