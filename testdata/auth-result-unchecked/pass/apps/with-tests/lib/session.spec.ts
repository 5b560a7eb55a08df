import { currentUser } from '@clerk/nextjs/server'
import { db } from './db'

export async function recordsTheCurrentUser() {
  const user = await currentUser()
  await db.visit.create({ data: { userId: user?.id } })
  return 'recorded'
}
