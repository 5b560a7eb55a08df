import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware(async (auth) => {
  await auth.protect()
})

// Runs only when the request carries the header: an attacker simply leaves it out.
export const config = {
  matcher: [{ source: '/api/(.*)', has: [{ type: 'header', key: 'x-app' }] }],
}
