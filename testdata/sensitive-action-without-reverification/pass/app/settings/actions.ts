'use server'

import { auth, clerkClient, reverificationError } from '@clerk/nextjs/server'
import { needsStepUp, requireStepUp } from '@/lib/step-up'
import { turnOffMfa } from '@/lib/account'

export async function changePassword(password: string) {
  const { userId, has } = await auth.protect()
  if (!has({ reverification: 'strict' })) return reverificationError('strict')
  const client = await clerkClient()
  await client.users.updateUser(userId, { password })
  return { ok: true }
}

// Clerk's guide: the test held in a variable.
export async function deleteMyAccount() {
  const { userId, has } = await auth.protect()
  const shouldUserRevalidate = !has({ reverification: 'strict' })
  if (shouldUserRevalidate) {
    return reverificationError('strict')
  }
  const client = await clerkClient()
  await client.users.deleteUser(userId)
  return { deleted: true }
}

export async function disableMfa() {
  const { userId } = await auth.protect({ reverification: 'strict_mfa' })
  await turnOffMfa(userId)
  return { ok: true }
}

export async function removePhone(phoneNumberId: string) {
  await requireStepUp()
  const client = await clerkClient()
  await client.phoneNumbers.deletePhoneNumber(phoneNumberId)
  return { ok: true }
}

export async function removeEmail(emailAddressId: string) {
  await auth.protect()
  if (await needsStepUp()) return reverificationError('moderate')
  const client = await clerkClient()
  await client.emailAddresses.deleteEmailAddress(emailAddressId)
  return { ok: true }
}

// Not sensitive: a display name.
export async function rename(firstName: string) {
  const { userId } = await auth.protect()
  const client = await clerkClient()
  await client.users.updateUser(userId, { firstName })
  return { ok: true }
}
