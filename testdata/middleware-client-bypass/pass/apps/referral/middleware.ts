import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isPublicRoute = createRouteMatcher(['/', '/pricing(.*)', '/sign-up(.*)'])

export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  const invite = req.nextUrl.searchParams.get('invite')
  if (invite) {
    const { userId } = await auth()
    // A rejection: signed-out visitors with an invite are sent to sign up.
    if (!userId && !pathname.startsWith('/sign-up')) {
      const res = NextResponse.redirect(new URL('/sign-up', req.url))
      res.cookies.set('invite', invite)
      return res
    }
    const res = NextResponse.next()
    res.cookies.set('invite', invite)
    // Only signed-in requests get here, and /api is let through below anyway.
    if (pathname.startsWith('/api/')) return res
    // Paths that are public anyway.
    if (isPublicRoute(req)) return res
  }
  if (pathname.startsWith('/api/')) return NextResponse.next()
  if (!isPublicRoute(req)) await auth.protect()
})
