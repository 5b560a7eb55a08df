import { clerkMiddleware } from '@clerk/astro/server'

// Near miss: on 4.x, the middleware authenticates and each page checks the session itself.
export const onRequest = clerkMiddleware()
