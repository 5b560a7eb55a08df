import { currentUser } from '@clerk/nextjs/server'
import { db } from './db'

// Copies the signed-in user to the database; does nothing for a signed-out request.
export async function syncUser() {
  const user = await currentUser()
  if (!user) return
  await db.user.upsert({ where: { id: user.id }, create: { id: user.id }, update: {} })
}
