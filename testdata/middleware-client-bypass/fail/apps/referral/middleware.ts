import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isPublicRoute = createRouteMatcher(['/', '/pricing(.*)'])

export default clerkMiddleware(async (auth, req) => {
  const invite = req.nextUrl.searchParams.get('invite')
  if (invite) {
    const res = NextResponse.next()
    res.cookies.set('invite', invite)
    // Signed out or not, any page with ?invite= skips the check below.
    if (!isPublicRoute(req)) return res // expect: middleware-client-bypass
  }
  if (!isPublicRoute(req)) await auth.protect()
})
