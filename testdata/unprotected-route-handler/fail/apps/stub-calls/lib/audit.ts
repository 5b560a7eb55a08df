import { db } from './db'

// This helper does work: it reads every user (the handler returns nothing of it, but the
// call runs for anyone).
export async function recordVisit(path: string) {
  // a comment with await in it changes nothing
  const users = await db.users.findMany()
  await db.visits.create({ data: { path, users: users.length } })
}
