import { clerkMiddleware } from '@clerk/nextjs/server'

// The arrow function returns the promise.
export default clerkMiddleware((auth) => auth.protect())
