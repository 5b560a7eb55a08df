import { v } from 'convex/values'
import { mutation, query } from './_generated/server'

// A public mutation: any client of the deployment deletes any note.
export const remove = mutation({ // expect: unprotected-route-handler
  args: { id: v.id('notes') },
  handler: async (ctx, { id }) => {
    await ctx.db.delete(id)
  },
})

// The identity is read after the write: the check comes too late.
export const create = mutation({ // expect: unprotected-route-handler
  args: { title: v.string() },
  handler: async (ctx, { title }) => {
    const id = await ctx.db.insert('notes', { title })
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) throw new Error('Unauthenticated')
    return id
  },
})

// Checks for itself.
export const mine = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) return []
    return await ctx.db.query('notes').collect()
  },
})
