'use server'

import { auth, clerkClient } from '@clerk/nextjs/server'
import { turnOffMfa } from '@/lib/account'

export async function changePassword(password: string) {
  const { userId } = await auth.protect()
  const client = await clerkClient()
  await client.users.updateUser(userId, { password, signOutOfOtherSessions: true }) // expect: sensitive-action-without-reverification
  return { ok: true }
}

export async function deleteMyAccount() {
  const { userId } = await auth.protect()
  const client = await clerkClient()
  await client.users.deleteUser(userId) // expect: sensitive-action-without-reverification
  return { deleted: true }
}

export async function disableMfa() {
  const { userId } = await auth.protect()
  await turnOffMfa(userId) // expect: sensitive-action-without-reverification
  return { ok: true }
}
