import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware({ authorizedParties: ['https://app.example.com'] })

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico)).*)', '/(api|trpc)(.*)'],
}
