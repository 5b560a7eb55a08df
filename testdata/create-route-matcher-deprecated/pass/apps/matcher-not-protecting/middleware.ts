import { NextResponse } from 'next/server'
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isDocs = createRouteMatcher(['/docs/:path*'])

export default clerkMiddleware(async (auth, req) => {
  const res = NextResponse.next()
  if (isDocs(req)) res.headers.set('cache-control', 'public, max-age=60')
  return res
})
