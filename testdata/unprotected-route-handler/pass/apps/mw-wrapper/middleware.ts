import { clerkMiddleware } from '@clerk/nextjs/server'
import type { NextFetchEvent, NextRequest } from 'next/server'

// A wrapper that builds and calls the Clerk middleware.
export default (req: NextRequest, ev: NextFetchEvent) =>
  clerkMiddleware(async (auth) => {
    await auth.protect()
  })(req, ev)
