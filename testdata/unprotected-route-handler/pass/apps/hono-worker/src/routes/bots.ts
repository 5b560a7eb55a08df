import { verify } from 'hono/jwt'
import { HTTPException } from 'hono/http-exception'

export const bots = {
  // A bot's token is signed with the worker's own key: verify() throws unless it is.
  list: async (c) => {
    const token = c.req.header('Authorization')?.split(' ')[1]
    try {
      await verify(token, c.env.BOT_SECRET_KEY)
    } catch {
      throw new HTTPException(401, { message: 'Unauthorized' })
    }
    return c.json(await c.env.DB.prepare('select * from bots').all())
  },
}
