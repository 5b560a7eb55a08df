import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isAdminRoute = createRouteMatcher(['/api/admin(.*)'])
const isBillingRoute = createRouteMatcher(['/api/billing(.*)'])
const isReportsRoute = createRouteMatcher(['/api/reports(.*)'])

// A signed-out request has no claims and `has()` answers false: every test below turns it away.
export default clerkMiddleware(async (auth, req) => {
  if (isAdminRoute(req) && (await auth()).sessionClaims?.metadata?.role !== 'admin') {
    return NextResponse.redirect(new URL('/', req.url))
  }
  const { has, sessionClaims } = await auth()
  if (isBillingRoute(req) && !has({ permission: 'org:billing:manage' })) {
    return new NextResponse('Forbidden', { status: 403 })
  }
  const role = (sessionClaims?.metadata as { role?: string } | undefined)?.role ?? ''
  if (isReportsRoute(req) && !['admin', 'analyst'].includes(role)) {
    return NextResponse.redirect(new URL('/', req.url))
  }
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico)).*)', '/(api|trpc)(.*)'],
}
