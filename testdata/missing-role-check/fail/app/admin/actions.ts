'use server'

import { auth } from '@clerk/nextjs/server'
import { removeUser } from '@/lib/admin-ops'

export async function deleteAccount(id: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  await removeUser(id) // expect: missing-role-check
}

export async function listAccounts() { // expect: missing-role-check
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  return []
}
