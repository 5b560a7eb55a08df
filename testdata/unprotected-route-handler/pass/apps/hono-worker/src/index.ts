import { clerkMiddleware, getAuth } from '@clerk/hono'
import { Hono } from 'hono'
import projects from './routes/projects'
import { bots } from './routes/bots'
import { tables } from './routes/tables'

const app = new Hono()

app.use('*', clerkMiddleware())

// Bots hold no Clerk session: their route comes before the user check.
app.get('/api/bots', bots.list)

// Registered with a member the live group does not have: `undefined`, so the request fails
// before any work.
app.post('/api/tables/:id/live', tables.live.create)

// Answers without doing any work.
app.get('/health', (c) => c.json({ ok: true }))

// Every route registered after this one needs a user.
app.use(async (c, next) => {
  const auth = getAuth(c)
  if (!auth?.userId) {
    return c.json({ error: 'Unauthorized' }, 401)
  }
  await next()
})

app.route('/api/projects', projects)

export default app
