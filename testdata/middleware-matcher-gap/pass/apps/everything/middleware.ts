import { clerkMiddleware } from '@clerk/nextjs/server'

// No config: the middleware runs on every path.
export default clerkMiddleware()
