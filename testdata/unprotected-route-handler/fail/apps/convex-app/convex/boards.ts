import { loggedQuery } from './util'
import { query } from './_generated/server'

export const list = loggedQuery({ // expect: unprotected-route-handler
  args: {},
  handler: async (ctx: any) => ctx.db.query('boards').collect(),
})

// Answers nothing to a signed-out caller, but does not throw: a caller's action goes on.
export const mine = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) return []
    return await ctx.db.query('boards').collect()
  },
})
