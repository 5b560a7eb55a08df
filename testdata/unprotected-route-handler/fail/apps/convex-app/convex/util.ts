import { query } from './_generated/server'

// A builder of the project that only logs: the functions it makes are open.
export function loggedQuery({ args, handler }: { args: any; handler: any }) {
  return query({
    args,
    handler: async (ctx, a) => {
      console.log('query', a)
      return handler(ctx, a)
    },
  })
}
