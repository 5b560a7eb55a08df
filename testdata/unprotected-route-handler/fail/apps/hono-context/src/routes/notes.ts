import { Hono } from 'hono'
import { getUserId } from '../auth'
import { db } from '../db'

const notes = new Hono()

notes.get('/', async (c) => { // expect: unprotected-route-handler
  const userId = getUserId(c)
  if (!userId) {
    return c.json({ error: 'unauthorized' }, 401)
  }
  return c.json(await db.notes(userId))
})

notes.delete('/:id', async (c) => { // expect: unprotected-route-handler
  const userId = c.get('userId')
  if (!userId) {
    return c.json({ error: 'unauthorized' }, 401)
  }
  await db.remove(c.req.param('id'), userId)
  return c.body(null, 204)
})

export default notes
