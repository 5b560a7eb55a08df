import { clerkMiddleware, getAuth } from '@hono/clerk-auth'
import { Hono } from 'hono'
import { handle } from 'hono/vercel'
import { db } from '../../../../lib/db-stub'

const requireUser = async (c: any, next: () => Promise<void>) => {
  if (!getAuth(c)?.userId) return c.json({ error: 'Unauthorized' }, 401)
  await next()
}

const app = new Hono()
  .basePath('/api/hono')
  .post('/items', clerkMiddleware(), async (c) => {
    const auth = getAuth(c)
    if (!auth?.userId) return c.json({ error: 'Unauthorized' }, 401)
    await db.audit.create({ data: { by: auth.userId } })
    return c.json({ ok: true })
  })
  // Registered before the middleware below: they run without it.
  .put('/items/:id', async (c) => {
    await db.audit.create({ data: { id: c.req.param('id') } })
    return c.json({ ok: true })
  })
  .get('/health', (c) => c.json({ status: 'ok' }))
  .get('/stats', async (c) => c.json(await db.audit.create({ data: {} })))
  .use('*', requireUser)

// Registered after the middleware: behind it.
app.get('/export', async (c) => c.json(await db.audit.create({ data: { all: true } })))
app.patch('/items/:id', async (c) => c.json(await db.audit.create({ data: { patch: true } })))

export const GET = handle(app) // expect: unprotected-route-handler
export const POST = handle(app)
export const PUT = handle(app) // expect: unprotected-route-handler
export const PATCH = handle(app)
