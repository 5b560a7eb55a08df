import { clerkMiddleware, getAuth } from '@clerk/hono'
import { Hono } from 'hono'
import projects from './routes/projects'
import { bots } from './routes/bots'
import { tables } from './routes/tables'

const app = new Hono()

app.use('*', clerkMiddleware())

// Bots hold no Clerk session: their route comes before the user check.
app.get('/api/bots', bots.list) // expect: unprotected-route-handler
app.post('/api/tables/:id/live', tables.live.create) // expect: unprotected-route-handler

// Mounted before the check below: its routes run without it.
app.route('/api/projects', projects)

app.use(async (c, next) => {
  if (!getAuth(c)?.userId) return c.json({ error: 'Unauthorized' }, 401)
  await next()
})

app.post('/api/reports', async (c) => {
  await c.env.DB.prepare('insert into reports default values').run()
  return c.json({ ok: true })
})

export default app
