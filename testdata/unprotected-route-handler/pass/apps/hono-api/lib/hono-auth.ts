import { getAuth } from '@hono/clerk-auth'
import { createMiddleware } from 'hono/factory'

// Turns a signed-out request away before any route registered after it.
export const requireUser = createMiddleware(async (c, next) => {
  const auth = getAuth(c)
  if (!auth?.userId) {
    return c.json({ error: 'Unauthorized' }, 401)
  }
  await next()
})
