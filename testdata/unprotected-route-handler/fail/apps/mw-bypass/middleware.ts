import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

export default clerkMiddleware(async (auth, req) => {
  if (req.cookies.has('jwt')) return NextResponse.next()
  await auth.protect()
})
