// Migrated from @clerk/remix: the root loader is @clerk/react-router's now.
import { rootAuthLoader } from '@clerk/react-router/ssr.server'

export const loader = (args: { request: Request; context: unknown }) => rootAuthLoader(args)
