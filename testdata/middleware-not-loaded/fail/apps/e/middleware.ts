import { clerkMiddleware } from '@clerk/nextjs/server'
// With pageExtensions, the file must be middleware.page.ts.
export default clerkMiddleware() // expect: middleware-not-loaded
