import { customCtx, customMutation } from 'convex-helpers/server/customFunctions'
import { v } from 'convex/values'
import { internalMutation, mutation, query } from './_generated/server'

// Every client of the deployment can call these: each checks the caller's identity first.
export const list = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) throw new Error('Unauthenticated')
    return await ctx.db
      .query('notes')
      .withIndex('by_owner', (q) => q.eq('owner', identity.subject))
      .collect()
  },
})

const authedMutation = customMutation(
  mutation,
  customCtx(async (ctx) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) throw new Error('Unauthenticated')
    return { identity }
  }),
)

export const rename = authedMutation({
  args: { id: v.id('notes'), title: v.string() },
  handler: async (ctx, { id, title }) => {
    await ctx.db.patch(id, { title })
  },
})

// Internal: no client can call it.
export const purge = internalMutation({
  args: {},
  handler: async (ctx) => {
    for (const n of await ctx.db.query('notes').collect()) await ctx.db.delete(n._id)
  },
})
