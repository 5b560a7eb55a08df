import { clerkMiddleware } from '@clerk/nextjs/server'
import { authMiddleware } from './lib/auth-middleware'

// A project function of the same name is not Clerk's.
export default clerkMiddleware(authMiddleware)
