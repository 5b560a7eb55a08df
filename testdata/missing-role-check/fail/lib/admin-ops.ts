import { clerkClient } from '@clerk/nextjs/server'
import { audit } from './audit'

export async function purgeUsers(ids: string[]) {
  const client = await clerkClient()
  await Promise.all(ids.map((id) => client.users.deleteUser(id)))
  await audit('purge', ids)
}

export async function removeUser(id: string) {
  await purgeUsers([id])
}
