import { getAuth } from '@clerk/hono'
import { Hono } from 'hono'

const projects = new Hono()
  .get('/', async (c) => {
    const auth = getAuth(c)
    const rows = await c.env.DB.prepare('select * from projects where owner = ?').bind(auth?.userId).all()
    return c.json(rows)
  })
  .delete('/:id', async (c) => {
    await c.env.DB.prepare('delete from projects where id = ?').bind(c.req.param('id')).run()
    return c.json({ ok: true })
  })

export default projects
