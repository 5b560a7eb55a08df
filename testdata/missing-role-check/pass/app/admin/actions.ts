'use server'

import { requireAdmin } from '@/lib/roles'
import { removeUser } from '@/lib/admin-ops'

export async function deleteAccount(id: string) {
  await requireAdmin()
  await removeUser(id)
}

export async function listAccounts() {
  await requireAdmin()
  return []
}
