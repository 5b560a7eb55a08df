import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// The cookie is read after the protection: nothing is skipped.
export default clerkMiddleware(async (auth, req) => {
  await auth.protect()
  if (req.cookies.get('beta')) return NextResponse.rewrite(new URL('/beta', req.url))
})
