import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// A hand-written check protects like `auth.protect()`.
export default clerkMiddleware(async (auth, req) => {
  const { userId } = await auth()
  const target = new URL('/auth', req.url)
  if (!userId) return NextResponse.redirect(target)
})
