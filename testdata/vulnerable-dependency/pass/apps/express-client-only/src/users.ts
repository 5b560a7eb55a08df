import { clerkClient } from '@clerk/express'
import type { User } from '@clerk/express'

export async function listUsers(): Promise<User[]> {
  const { data } = await clerkClient.users.getUserList()
  return data
}
