import { clerkClient } from '@clerk/nextjs/server'

export async function markOnboarded(id: string) {
  const client = await clerkClient()
  await client.users.updateUserMetadata(id, { publicMetadata: { onboarded: true } })
}
