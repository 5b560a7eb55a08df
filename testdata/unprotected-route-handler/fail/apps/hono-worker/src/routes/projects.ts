import { getAuth } from '@clerk/hono'
import { Hono } from 'hono'

const projects = new Hono()
  // Reads the session but lets a signed-out request through.
  .get('/', async (c) => { // expect: unprotected-route-handler
    const auth = getAuth(c)
    const rows = await c.env.DB.prepare('select * from projects where owner = ?').bind(auth?.userId).all()
    return c.json(rows)
  })
  // Checks for itself.
  .get('/:id', async (c) => {
    const auth = getAuth(c)
    if (!auth?.userId) return c.json({ error: 'Unauthorized' }, 401)
    return c.json(await c.env.DB.prepare('select * from projects where id = ?').bind(c.req.param('id')).first())
  })

export default projects
