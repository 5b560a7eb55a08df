import type { Context, MiddlewareHandler } from 'hono'

// A getter of what the caller sent, not of anything verified.
export const getUserId = (c: Context) => {
  return c.req.header('x-user-id')
}

// Fills the context from a header anyone can send: nothing here reads the Clerk session.
export const sessionMiddleware = (): MiddlewareHandler => {
  return async (c, next) => {
    c.set('userId', c.req.header('x-user-id') ?? null)
    await next()
  }
}
