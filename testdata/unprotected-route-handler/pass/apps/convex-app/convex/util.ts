import { query } from './_generated/server'

// A builder of the project: the handler it makes checks the identity, then runs the given one.
export function protectedQuery({ args, handler }: { args: any; handler: any }) {
  return query({
    args,
    handler: async (ctx, a) => {
      const identity = await ctx.auth.getUserIdentity()
      if (!identity) throw new Error('Unauthenticated')
      return handler({ ...ctx, identity }, a)
    },
  })
}
