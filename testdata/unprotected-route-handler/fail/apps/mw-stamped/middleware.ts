import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Stamps the internal secret onto every request it forwards.
export default clerkMiddleware(async (auth, req) => {
  const requestHeaders = new Headers(req.headers)
  requestHeaders.set('x-internal-token', process.env.INTERNAL_SECRET ?? '')
  return NextResponse.next({ request: { headers: requestHeaders } })
})

export const config = { matcher: ['/(api|trpc)(.*)'] }
