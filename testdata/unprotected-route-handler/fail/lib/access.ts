import { auth } from '@clerk/nextjs/server'

type Handler = (req: Request) => Promise<Response>

function signedInGate() {
  return async function gate(req: Request, next: Handler) {
    const { userId } = await auth()
    if (!userId) return new Response(null, { status: 401 })
    return next(req)
  }
}

function logGate() {
  return async function gate(req: Request, next: Handler) {
    console.info(req.method, req.url)
    return next(req)
  }
}

// The gate it builds only logs.
export function withLogging(opts: { tag?: string } = {}) {
  return function wrap(handler: Handler) {
    const gate = logGate()
    return async (req: Request) => gate(req, handler)
  }
}

// Builds the checking gate, then calls the handler without it.
export function withUnusedGate() {
  return function wrap(handler: Handler) {
    const gate = signedInGate()
    console.info('gate ready', typeof gate)
    return async (req: Request) => handler(req)
  }
}

export const access = {
  logged: () => withLogging({ tag: 'api' }),
  unused: () => withUnusedGate(),
}
