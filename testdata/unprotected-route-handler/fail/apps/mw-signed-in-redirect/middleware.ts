import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Redirects signed-in users; signed-out requests go through.
export default clerkMiddleware(async (auth, req) => {
  const { userId } = await auth()
  if (userId) return NextResponse.redirect(new URL('/dashboard', req.url))
})
