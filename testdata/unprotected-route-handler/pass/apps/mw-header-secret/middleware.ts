import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// 401 for signed-out API requests, written by hand.
export default clerkMiddleware(async (auth, req) => {
  const session = await auth()
  if (!session.userId) {
    return new NextResponse('Unauthorized', { status: 401 })
  }
})
