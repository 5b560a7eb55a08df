import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isPublic = createRouteMatcher(['/', '/sign-in(.*)'])
const isStaffOnly = createRouteMatcher(['/staff(.*)'])

function logClaims(claims: unknown) {
  console.log('claims', claims)
}

export default clerkMiddleware(async (auth, req) => {
  if (!isPublic(req)) {
    const { userId, redirectToSignIn } = await auth()
    if (!userId) return redirectToSignIn()
    // Past the redirect above, on the same path: a user is signed in.
    if (isStaffOnly(req)) {
      const { sessionClaims } = await auth()
      logClaims(sessionClaims)
    }
  }
  return NextResponse.next()
})
