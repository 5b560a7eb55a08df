import type { NextFunction, Request, Response } from 'express'
import { getAuth } from '@clerk/express'

/** Hangs the session on the request for the handlers, then turns a signed-out caller away. */
export function attachSession(req: Request & { session?: unknown }, res: Response, next: NextFunction) {
  const session = getAuth(req)
  req.session = session
  if (!req.session || !(req.session as { userId?: string }).userId) {
    return res.status(401).json({ error: 'unauthorized' })
  }
  next()
}

export function attachAuth(req: any, res: Response, next: NextFunction) {
  const current = getAuth(req)
  req.auth = current
  if (!req.auth.userId) return res.status(401).end()
  next()
}
