import { sharedHandlers } from './shared'

// Near miss: the live group spreads another object in, which may hold `create`.
export const tables = {
  live: {
    ...sharedHandlers,
    get: async (c) => c.json(await c.env.DB.prepare('select * from live_tables').all()),
  },
}
