import { clerkMiddleware } from '@clerk/nextjs/server'

// proxy.ts is the Next.js 16 name; Next.js 15 ignores it.
export default clerkMiddleware() // expect: middleware-not-loaded
