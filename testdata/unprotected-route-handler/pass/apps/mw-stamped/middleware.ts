import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Sets a header on the response only: callers never receive the secret on their request.
export default clerkMiddleware(async () => {
  const res = NextResponse.next()
  res.headers.set('x-frame-options', 'DENY')
  return res
})

export const config = { matcher: ['/(api|trpc)(.*)'] }
