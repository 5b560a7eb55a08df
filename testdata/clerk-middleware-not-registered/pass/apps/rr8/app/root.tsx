import { clerkMiddleware, rootAuthLoader } from '@clerk/react-router/server'

// React Router 8 runs route middleware without a future flag.
export const middleware = [clerkMiddleware()]

export const loader = (args: { request: Request; context: unknown }) => rootAuthLoader(args)
