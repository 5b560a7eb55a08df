import { getAuth } from '@clerk/express';

export function requireAuth(req, res, next) {
  if (!getAuth(req).userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  next();
}
