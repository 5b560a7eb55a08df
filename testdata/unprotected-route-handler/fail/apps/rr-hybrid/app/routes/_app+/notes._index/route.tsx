import { db } from '~/services/db.server'

// Only the layout's loader checks; this one answers a request of its data alone.
export const loader = async (args: any) => { // expect: unprotected-route-handler
  return { notes: await db.notes(args.params.id) }
}
