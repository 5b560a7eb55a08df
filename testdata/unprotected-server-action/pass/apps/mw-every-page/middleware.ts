import { clerkMiddleware } from '@clerk/nextjs/server'

// Every page is protected and sign-in is hosted by Clerk (no local sign-in path), so an
// action cannot be posted to a page the middleware leaves open.
export default clerkMiddleware(async (auth) => {
  await auth.protect()
})
