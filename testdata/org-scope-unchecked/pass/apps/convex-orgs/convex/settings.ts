import { v } from 'convex/values'
import { mutation } from './_generated/server'

// The organization id comes from the caller, and membership is checked in the app's own table
// (not with the session's orgId): the caller must be a member before the settings change.
export const update = mutation({
  args: { organizationId: v.id('organizations'), name: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) throw new Error('Unauthenticated')
    const membership = await ctx.db
      .query('memberships')
      .withIndex('by_org_user', (q) =>
        q.eq('organizationId', args.organizationId).eq('userId', identity.subject),
      )
      .unique()
    if (!membership) throw new Error('Not a member')
    await ctx.db.patch(args.organizationId, { name: args.name })
  },
})
