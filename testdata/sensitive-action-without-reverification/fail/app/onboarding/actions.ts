'use server'

import { auth, clerkClient } from '@clerk/nextjs/server'

const SELF_SERVICE = ['buyer', 'seller']

// A tested self-service choice is no escalation, but a hijacked session may still make it.
export async function chooseAccountType(role: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  if (!SELF_SERVICE.includes(role)) throw new Error('Bad role')
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { role } }) // expect: sensitive-action-without-reverification
}
