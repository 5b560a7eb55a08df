import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import { routeAccess } from './lib/settings'

const matchers = Object.entries(routeAccess).map(([route, allowedRoles]) => ({
  matcher: createRouteMatcher([route]),
  allowedRoles,
}))

export default clerkMiddleware(async (auth, req) => {
  const { userId } = await auth()
  const isProtected = matchers.some(({ matcher }) => matcher(req))
  if (isProtected && !userId) {
    return NextResponse.redirect(new URL('/sign-in', req.url))
  }
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
