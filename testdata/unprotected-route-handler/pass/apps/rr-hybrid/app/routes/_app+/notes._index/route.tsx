import { requireUser } from '~/services/auth.server'
import { db } from '~/services/db.server'

// The layout's loader does not run for a request of this route's data alone: it checks itself.
export const loader = async (args: any) => {
  const user = await requireUser(args)
  return { notes: await db.notes(user.userId) }
}
