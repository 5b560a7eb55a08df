import { clerkMiddleware } from '@clerk/nextjs/server'

// Protects everything: server actions still need their own check.
export default clerkMiddleware(async (auth) => {
  await auth.protect()
})
