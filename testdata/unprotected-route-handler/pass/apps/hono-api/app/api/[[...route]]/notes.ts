import { clerkMiddleware, getAuth } from '@hono/clerk-auth'
import { Hono } from 'hono'
import { db } from '@/lib/db'

const app = new Hono()
  .get('/', clerkMiddleware(), async (c) => {
    const auth = getAuth(c)
    if (!auth?.userId) {
      return c.json({ error: 'Unauthorized' }, 401)
    }
    return c.json({ data: await db.notes.list(auth.userId) })
  })
  .post('/', clerkMiddleware(), async (c) => {
    const auth = getAuth(c)
    if (!auth?.userId) {
      return c.json({ error: 'Unauthorized' }, 401)
    }
    return c.json({ data: await db.notes.create({ owner: auth.userId }) })
  })

export default app
