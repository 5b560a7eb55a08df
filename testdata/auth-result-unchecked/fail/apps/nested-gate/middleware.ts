import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isPublic = createRouteMatcher(['/', '/sign-in(.*)'])
const isApi = createRouteMatcher(['/api(.*)'])
const isStaffOnly = createRouteMatcher(['/staff(.*)'])

function logClaims(claims: unknown) {
  console.log('claims', claims)
}

export default clerkMiddleware(async (auth, req) => {
  if (!isPublic(req)) {
    const { userId } = await auth()
    // Tested, but the branch does not leave: a signed-out request carries on.
    if (!userId) console.warn('signed out')
    if (isStaffOnly(req)) {
      const { sessionClaims } = await auth() // expect: auth-result-unchecked
      logClaims(sessionClaims)
    }
  }
  if (isApi(req)) {
    const { userId } = await auth()
    if (!userId) return new NextResponse('Unauthorized', { status: 401 })
  } else {
    // The test above is on another path.
    const { sessionClaims } = await auth() // expect: auth-result-unchecked
    logClaims(sessionClaims)
  }
  return NextResponse.next()
})
