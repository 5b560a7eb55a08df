import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Only signed-in requests reach the cookie test.
export default clerkMiddleware(async (auth, req) => {
  const { userId } = await auth()
  if (userId && req.cookies.get('onboarded')) return NextResponse.next()
  if (!userId) return NextResponse.redirect(new URL('/sign-in', req.url))
})
