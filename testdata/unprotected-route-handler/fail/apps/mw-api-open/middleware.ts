import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  // A campaign cookie is set on the way through; /api is let through below anyway.
  const campaign = req.nextUrl.searchParams.get('utm_campaign')
  if (campaign && pathname.startsWith('/api/')) {
    const res = NextResponse.next()
    res.cookies.set('campaign', campaign)
    return res
  }
  // The handlers are meant to check the session themselves.
  if (pathname.startsWith('/api/')) return NextResponse.next()
  await auth.protect()
})
