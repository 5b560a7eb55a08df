import { auth } from '@clerk/nextjs/server'

type Handler = (req: Request) => Promise<Response>

function signedInGate() {
  return async function gate(req: Request, next: Handler) {
    const { userId } = await auth()
    if (!userId) return new Response(null, { status: 401 })
    return next(req)
  }
}

// Curried: `withAccess(opts)` gives a wrapper, the wrapper gives the handler.
export function withAccess(opts: { scope?: string } = {}) {
  return function wrap(handler: Handler) {
    const gate = signedInGate()
    return async (req: Request) => {
      if (opts.scope) console.info('scope', opts.scope)
      return gate(req, handler)
    }
  }
}

export const access = {
  member: () => withAccess({ scope: 'member' }),
  owner: () => withAccess({ scope: 'owner' }),
}
