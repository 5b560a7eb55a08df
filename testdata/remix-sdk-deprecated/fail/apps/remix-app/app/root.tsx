import type { LoaderFunction } from '@remix-run/node'
import { rootAuthLoader } from '@clerk/remix/ssr.server'

export const loader: LoaderFunction = (args) => rootAuthLoader(args)
