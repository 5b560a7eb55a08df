import { clerkMiddleware } from '@hono/clerk-auth'
import { Hono } from 'hono'
import requireClerkAuth from './middleware/requireClerkAuth'
import { db } from './db'

// A path-less use() in the chain guards every route registered after it.
const app = new Hono()
  .use(clerkMiddleware(), requireClerkAuth)
  .get('/stores', async (c) => c.json(await db.stores()))
  .post('/stores', async (c) => c.json(await db.createStore(await c.req.json())))

export default app
