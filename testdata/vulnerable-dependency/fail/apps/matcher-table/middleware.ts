import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import { routeRoles } from './lib/access'

// One matcher per entry of the table, each with the roles it admits.
const gates = Object.entries(routeRoles).map(([route, roles]) => ({
  matches: createRouteMatcher([route]),
  roles,
}))

export default clerkMiddleware(async (auth, req) => {
  const { sessionClaims } = await auth()
  const role = (sessionClaims?.metadata as { role?: string } | undefined)?.role ?? ''
  for (const gate of gates) {
    if (gate.matches(req) && !gate.roles.includes(role)) {
      return NextResponse.redirect(new URL('/', req.url))
    }
  }
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)', '/(api|trpc)(.*)'],
}
