import { decode } from 'hono/jwt'

export const bots = {
  // Near miss: decode() reads the token without checking its signature.
  list: async (c) => {
    const token = c.req.header('Authorization')?.split(' ')[1] ?? ''
    const { payload } = decode(token)
    if (!payload.sub) return c.json({ error: 'Unauthorized' }, 401)
    return c.json(await c.env.DB.prepare('select * from bots').all())
  },
}
