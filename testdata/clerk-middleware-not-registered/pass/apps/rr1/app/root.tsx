import { rootAuthLoader } from '@clerk/react-router/ssr.server'

// 1.x authenticates in rootAuthLoader itself: no middleware exists yet.
export const loader = (args: { request: Request; context: unknown }) => rootAuthLoader(args)
