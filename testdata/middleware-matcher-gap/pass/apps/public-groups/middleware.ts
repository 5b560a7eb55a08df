import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// A public list: its dead entry opens nothing, and the redirect held in `res`
// refuses signed-out requests (it does not make the list a protect list).
const isPublicRoute = createRouteMatcher(['/', '/(marketing)(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) {
    const { userId } = await auth()
    if (!userId) {
      const res = NextResponse.redirect(new URL('/sign-in', req.url))
      res.headers.set('x-reason', 'signed-out')
      return res
    }
  }
})
