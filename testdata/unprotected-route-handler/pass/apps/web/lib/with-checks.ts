import { auth } from '@clerk/nextjs/server'

type Handler = (req: Request) => Promise<Response>

export interface CheckOptions {
  requireSession?: boolean
  requireOrg?: boolean
  audit?: boolean
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status))
  }
}

// Checks only what the options switch on.
export function withChecks(handler: Handler, options: CheckOptions = {}) {
  return async (req: Request) => {
    try {
      if (options.requireSession || options.requireOrg) {
        const { userId, orgId } = await auth()
        if (options.requireSession && !userId) {
          throw new HttpError(401)
        }
        if (options.requireOrg && !orgId) {
          throw new HttpError(403)
        }
      }
      if (options.audit) console.info(req.url)
      return await handler(req)
    } catch (e) {
      return new Response(null, { status: e instanceof HttpError ? e.status : 500 })
    }
  }
}

export function withSession(handler: Handler, options: Omit<CheckOptions, 'requireSession'> = {}) {
  return withChecks(handler, { ...options, requireSession: true })
}

export function withForwarded(handler: Handler, options?: CheckOptions) {
  return withChecks(handler, options)
}

// The caller's options come last, over `requireSession: true`.
export function withOverridable(handler: Handler, options: CheckOptions = {}) {
  return withChecks(handler, { requireSession: true, ...options })
}
