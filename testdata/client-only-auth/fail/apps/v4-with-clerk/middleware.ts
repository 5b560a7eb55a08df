import { getAuth, withClerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse, type NextRequest } from 'next/server'

// Clerk v4: the session is read, but only logged; every request goes on.
export default withClerkMiddleware((req: NextRequest) => {
  const { userId } = getAuth(req)
  console.log('visitor', userId ?? 'anonymous')
  return NextResponse.next()
})

export const config = { matcher: ['/dashboard/:path*'] }
