import type { Context, MiddlewareHandler } from 'hono'
import { verifyToken } from '@clerk/backend'

export const getUserId = (c: Context) => {
  return c.get('userId')
}

export const sessionMiddleware = (): MiddlewareHandler => {
  return async (c, next) => {
    const header = c.req.header('Authorization')
    let userId: string | null = null
    if (header && header.startsWith('Bearer ')) {
      try {
        const payload = await verifyToken(header.slice(7), { secretKey: process.env.CLERK_SECRET_KEY })
        userId = payload.sub || null
      } catch (e) {
        console.log(e)
      }
    }
    c.set('userId', userId)
    await next()
  }
}
