import { clerkMiddleware } from '@clerk/nextjs/server'
import { matchers } from './matchers'

export default clerkMiddleware()

// Not a literal: Next.js ignores it and runs the middleware everywhere.
export const config = { matcher: matchers }
