import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const blocked = ['/old-admin', '/legacy']

// A loop that answers, but no createRouteMatcher: the advisory's feature is not used.
export default clerkMiddleware(async (auth, req) => {
  for (const prefix of blocked) {
    if (req.nextUrl.pathname.startsWith(prefix)) {
      return NextResponse.redirect(new URL('/', req.url))
    }
  }
  await auth.protect()
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)', '/(api|trpc)(.*)'],
}
