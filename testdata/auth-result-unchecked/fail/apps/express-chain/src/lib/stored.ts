import type { NextFunction, Request, Response } from 'express'
import { getAuth } from '@clerk/express'

/** Hangs the session on the request, but only tests the object, which is always there. */
export function attachAuth(req: any, res: Response, next: NextFunction) {
  const current = getAuth(req) // expect: auth-result-unchecked
  req.auth = current
  if (!req.auth) return res.status(401).end()
  next()
}
