import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const HEALTH = /^\/api\/health$/

// Tests of the path the analyzer evaluates: `/api/orders` is none of them.
function isOpenPath(pathname: string) {
  if (pathname === '/' || pathname.startsWith('/api/public/')) return true
  if (HEALTH.test(pathname)) return true
  return false
}

export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  if (isOpenPath(pathname)) return NextResponse.next()
  await auth.protect()
})
