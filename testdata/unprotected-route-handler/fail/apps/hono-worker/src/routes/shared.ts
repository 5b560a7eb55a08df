export const sharedHandlers = {
  create: async (c) => {
    await c.env.DB.prepare('insert into live_tables default values').run()
    return c.json({ ok: true })
  },
}
