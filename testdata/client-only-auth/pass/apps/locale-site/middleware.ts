import { NextResponse } from 'next/server'
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isPublicRoute = createRouteMatcher(['/', '/(en|de)', '/(en|de)/people/(.*)', '/sign-in(.*)'])

export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  // Files and build assets pass untouched.
  if (pathname.startsWith('/_next/') || pathname.includes('/assets/') || pathname.endsWith('.ico')) {
    return NextResponse.next()
  }
  if (!isPublicRoute(req)) {
    const { userId, redirectToSignIn } = await auth()
    if (!userId) return redirectToSignIn()
  }
})

export const config = { matcher: ['/((?!_next).*)'] }
