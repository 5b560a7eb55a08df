import { clerkMiddleware } from '@clerk/nextjs/server'
import type { NextFetchEvent, NextRequest } from 'next/server'

// A wrapper around the current middleware.
export default function middleware(req: NextRequest, ev: NextFetchEvent) {
  return clerkMiddleware()(req, ev)
}
