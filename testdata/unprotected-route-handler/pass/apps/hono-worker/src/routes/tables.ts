// Handlers grouped by path; the live group has only a reader so far.
export const tables = {
  live: {
    get: async (c) => c.json(await c.env.DB.prepare('select * from live_tables').all()),
  },
}
