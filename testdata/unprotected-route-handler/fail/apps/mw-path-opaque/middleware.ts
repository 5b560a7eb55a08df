import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const OPEN = ['/api/public', '/pricing']

// Which paths `some` accepts cannot be read from the text: the early return may be taken for
// any path, so the protection after it protects none for sure.
function isOpenPath(pathname: string) {
  return OPEN.some((p) => pathname.includes(p))
}

export default clerkMiddleware(async (auth, req) => {
  if (isOpenPath(req.nextUrl.pathname)) return NextResponse.next()
  await auth.protect()
})
