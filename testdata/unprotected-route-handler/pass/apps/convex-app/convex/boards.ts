import { protectedQuery } from './util'

export const list = protectedQuery({
  args: {},
  handler: async (ctx: any) =>
    ctx.db
      .query('boards')
      .filter((q: any) => q.eq(q.field('owner'), ctx.identity.subject))
      .collect(),
})
