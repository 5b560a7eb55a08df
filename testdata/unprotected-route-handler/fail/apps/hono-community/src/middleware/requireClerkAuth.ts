import { createMiddleware } from 'hono/factory'

// @hono/clerk-auth puts the verified session on the context under `clerkAuth`.
export default createMiddleware(async (c, next) => {
  if (!c.get('clerkAuth')?.userId) {
    return c.json({ message: 'Unauthorized' }, 401)
  }
  await next()
})
