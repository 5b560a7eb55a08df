import { auth } from '@clerk/nextjs/server'
import { db } from './db'

export async function getCurrentVendor() {
  const { userId } = await auth()
  if (!userId) return { kind: 'signed-out' as const }
  const vendor = await db.vendor.findUnique({ where: { ownerId: userId } })
  if (!vendor) return { kind: 'no-application' as const }
  return { kind: 'live' as const, vendor }
}
