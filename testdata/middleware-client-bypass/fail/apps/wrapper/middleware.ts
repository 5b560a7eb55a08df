import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server'

export default function middleware(req: NextRequest, ev: NextFetchEvent) {
  if (req.headers.get('x-preview') === '1') return NextResponse.next() // expect: middleware-client-bypass
  return clerkMiddleware(async (auth) => {
    await auth.protect()
  })(req, ev)
}
