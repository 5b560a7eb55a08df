import { clerkMiddleware } from '@clerk/nextjs/server'
import { decide } from './lib/decide'

// The callback lives in another module: the analyzer says it cannot tell.
export default clerkMiddleware(decide)
