import { rootAuthLoader } from '@clerk/react-router/server'

export const loader = (args: { request: Request; context: unknown }) => rootAuthLoader(args) // expect: clerk-middleware-not-registered
