import { rootAuthLoader } from '@clerk/react-router/ssr.server'

export async function loader(args: { request: Request; context: unknown }) { // expect: clerk-middleware-not-registered
  return rootAuthLoader(args)
}
