import { clerkMiddleware } from '@clerk/nextjs/server'

// The router lives in src/, so Next.js only loads src/middleware.ts.
export default clerkMiddleware() // expect: middleware-not-loaded
