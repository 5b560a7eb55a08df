import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware()
// Misplaced (router in src/): middleware-not-loaded reports it, not this rule.
