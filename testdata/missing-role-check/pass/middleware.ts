import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/api/sign-up'])
const isStaffRoute = createRouteMatcher(['/api/staff(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isStaffRoute(req)) await auth.protect((has) => has({ role: 'org:admin' }))
  if (!isPublicRoute(req)) await auth.protect()
})

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)', '/(api|trpc)(.*)'],
}
