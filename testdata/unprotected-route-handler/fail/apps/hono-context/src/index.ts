import { Hono } from 'hono'
import { sessionMiddleware } from './auth'
import notes from './routes/notes'

const app = new Hono()
app.use('*', sessionMiddleware())
app.route('/api/notes', notes)

// A list the module fills from requests: serving it serves what callers sent.
const visits: string[] = ['seed']

app.post('/api/visits', async (c) => { // expect: unprotected-route-handler
  visits.push(await c.req.text())
  return c.body(null, 204)
})

app.get('/api/visits', (c) => c.text(visits.join('\n'))) // expect: unprotected-route-handler

export default app
