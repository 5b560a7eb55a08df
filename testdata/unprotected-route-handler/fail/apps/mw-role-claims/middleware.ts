import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isAdminRoute = createRouteMatcher(['/api/admin(.*)'])
const isBillingRoute = createRouteMatcher(['/api/billing(.*)'])
const isReportsRoute = createRouteMatcher(['/api/reports(.*)'])

export default clerkMiddleware(async (auth, req) => {
  const { has, sessionClaims } = await auth()
  const role = sessionClaims?.metadata?.role
  // Only banned users are turned away: a signed-out request has no role and goes through.
  if (isAdminRoute(req) && role === 'banned') {
    return NextResponse.redirect(new URL('/', req.url))
  }
  // `has()` is false for a signed-out request, so this turns away only signed-in users.
  if (isBillingRoute(req) && has({ permission: 'org:billing:frozen' })) {
    return new NextResponse('Forbidden', { status: 403 })
  }
  // `role &&` skips the test when there is no role: signed-out requests go through.
  if (isReportsRoute(req) && role && !['admin', 'analyst'].includes(role)) {
    return NextResponse.redirect(new URL('/', req.url))
  }
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
