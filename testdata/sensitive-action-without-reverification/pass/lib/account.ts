import { clerkClient } from '@clerk/nextjs/server'

export async function turnOffMfa(userId: string) {
  const client = await clerkClient()
  await client.users.disableUserMFA(userId)
}
