import { Hono } from 'hono'
import { handle } from 'hono/vercel'

import billing from './billing'
import notes from './notes'

const app = new Hono().basePath('/api')

// A health check answers without doing any work: nothing for a check to guard.
app.get('/health', (c) => c.json({ status: 'ok' }))

const routes = app.route('/notes', notes).route('/billing', billing)

// Each route of the app checks the session, in its handler or in middleware before it.
export const GET = handle(app)
export const POST = handle(app)
// No route answers DELETE: Hono answers 404.
export const DELETE = handle(app)

export type AppType = typeof routes
