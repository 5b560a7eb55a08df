import { clerkMiddleware, rootAuthLoader } from '@clerk/react-router/server'

export const middleware = [clerkMiddleware()] // expect: clerk-middleware-not-registered

export const loader = (args: { request: Request; context: unknown }) => rootAuthLoader(args)
