import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)'])

const origins =
  process.env.NODE_ENV === 'production'
    ? ['https://app.example.com', 'https://www.example.com']
    : ['http://localhost:3000', 'http://devbox.lan:3000']

export default clerkMiddleware(
  async (auth, req) => {
    if (!isPublicRoute(req)) await auth.protect()
  },
  (req) => ({ authorizedParties: origins, signInUrl: '/sign-in' }),
)

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)', '/(api|trpc)(.*)'],
}
