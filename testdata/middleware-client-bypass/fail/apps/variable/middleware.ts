import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

export default clerkMiddleware(async (auth, req) => {
  const hasJwtCookie = !!req.cookies.get('jwt')?.value
  if (hasJwtCookie) {
    return NextResponse.next() // expect: middleware-client-bypass
  }
  const { userId } = await auth()
  if (!userId) return NextResponse.redirect(new URL('/login', req.url))
})
