import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextRequest, NextResponse } from 'next/server'

// Sends signed-in users who have not finished onboarding there; a signed-out request falls
// through to `NextResponse.next()`.
function onboarding(userId: string | null, req: NextRequest) {
  if (userId && !req.cookies.get('onboarded')) {
    return NextResponse.redirect(new URL('/welcome', req.url))
  }
  return NextResponse.next()
}

export default clerkMiddleware(async (auth, req) => {
  const { userId } = await auth()
  return onboarding(userId, req)
})
