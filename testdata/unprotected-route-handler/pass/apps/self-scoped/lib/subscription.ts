import { auth } from '@clerk/nextjs/server'
import { db } from './db'

// Reads the caller's own organization only, and nothing for a signed-out request.
export async function orgStatus() {
  const { userId, orgId } = await auth()
  if (!userId || !orgId) {
    return { status: null }
  }
  const org = await db.org.findFirst({ where: { id: orgId } })
  return { status: org?.plan ?? null }
}

export async function subscriptionInfo() {
  const { status } = await orgStatus()
  return { active: status === 'active', status }
}
