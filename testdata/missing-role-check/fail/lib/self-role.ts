import { clerkClient } from '@clerk/nextjs/server'

export async function setOwnRole(id: string, role: string) {
  const client = await clerkClient()
  await client.users.updateUser(id, { publicMetadata: { role } })
}
