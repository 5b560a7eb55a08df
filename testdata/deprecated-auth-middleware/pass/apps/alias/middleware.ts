// clerkMiddleware under another name is not the deprecated authMiddleware.
import { clerkMiddleware as authMiddleware } from '@clerk/nextjs/server'
export default authMiddleware()
