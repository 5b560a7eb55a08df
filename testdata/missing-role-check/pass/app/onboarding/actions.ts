'use server'

import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'
import { setOwnRole } from '@/lib/self-role'

// The caller's own role, copied from the database (the source of truth) into their metadata.
export async function syncMyRole() {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  const user = await db.user.findUnique({ where: { id: userId } })
  if (!user) throw new Error('No such user')
  await setOwnRole(userId, user.role)
}
