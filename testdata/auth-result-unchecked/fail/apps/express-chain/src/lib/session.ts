import type { NextFunction, Request, Response } from 'express'
import { getAuth } from '@clerk/express'

/** Route middleware: a signed-out request never reaches the handlers behind it. */
export function requireSignedIn(req: Request, res: Response, next: NextFunction) {
  if (!getAuth(req).userId) return res.status(401).json({ error: 'unauthorized' })
  next()
}
