import { getAuth, withClerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse, type NextRequest } from 'next/server'

// Clerk v4: the wrapped middleware reads the session with getAuth(req) and turns a
// signed-out request away.
export default withClerkMiddleware((req: NextRequest) => {
  const { userId } = getAuth(req)
  if (!userId) {
    return NextResponse.redirect(new URL('/login', req.url))
  }
  return NextResponse.next()
})

export const config = { matcher: ['/dashboard/:path*'] }
