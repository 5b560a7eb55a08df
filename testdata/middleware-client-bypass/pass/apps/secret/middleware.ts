import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// Compared with a secret: the client cannot produce it.
export default clerkMiddleware(async (auth, req) => {
  if (req.headers.get('x-cron-key') === process.env.CRON_SECRET) return NextResponse.next()
  await auth.protect()
})
