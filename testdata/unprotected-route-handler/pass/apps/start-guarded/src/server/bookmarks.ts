import { createServerFn } from '@tanstack/react-start'
import { getAccount } from './account'
import { db } from './db'

// No middleware of its own: calling getAccount on the server runs its middleware and its
// check, which throws for a signed-out caller.
export const addBookmark = createServerFn({ method: 'POST' }).handler(async ({ data }) => {
  const account = await getAccount()
  if (!account) throw new Error('No account')
  return db.bookmark.create({ data: { accountId: account.id, url: String(data) } })
})
