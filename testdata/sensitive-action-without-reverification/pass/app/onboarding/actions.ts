'use server'

import { auth, clerkClient } from '@clerk/nextjs/server'
import { db } from '@/lib/db'
import { setOwnRole } from '@/lib/self-role'

// The caller's own role copied from the database: a hijacked session chooses nothing here.
export async function syncMyRole() {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  const user = await db.user.findUnique({ where: { id: userId } })
  if (!user) throw new Error('No such user')
  await setOwnRole(userId, user.role)
}

// The same, written here: a constant role for every new account.
export async function finishOnboarding() {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { role: 'member' } })
}
