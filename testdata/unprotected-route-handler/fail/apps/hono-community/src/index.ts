import { clerkMiddleware } from '@hono/clerk-auth'
import { Hono } from 'hono'
import requireClerkAuth from './middleware/requireClerkAuth'
import { db } from './db'

const app = new Hono()
  // Registered before the middleware: it runs without it.
  .get('/stores', async (c) => c.json(await db.stores())) // expect: unprotected-route-handler
  .use(clerkMiddleware(), requireClerkAuth)
  .post('/stores', async (c) => c.json(await db.createStore(await c.req.json())))

// Another app (served on its own): its middleware reads the session and rejects nothing.
export const reports = new Hono()
  .use(clerkMiddleware(), async (c, next) => {
    console.log('user', c.get('clerkAuth')?.userId)
    await next()
  })
  .get('/reports', async (c) => c.json(await db.reports())) // expect: unprotected-route-handler

export default app
