import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware()

// Skips /api/webhooks on purpose: webhooks verify their signature.
export const config = { matcher: ['/((?!api/webhooks|_next).*)'] }
