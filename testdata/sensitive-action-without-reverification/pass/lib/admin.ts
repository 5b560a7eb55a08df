import { auth, clerkClient, currentUser } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Copies the caller's role from the staff table into Clerk metadata, then checks it: the
// metadata write is part of establishing the role, not an action of the caller's.
export async function requireStaff() {
  const { userId } = await auth.protect()
  const user = await currentUser()
  const row = await db.staff.findUnique({ where: { userId } })
  if (row && user?.publicMetadata?.role !== row.role) {
    const client = await clerkClient()
    await client.users.updateUserMetadata(userId, { publicMetadata: { role: row.role } })
  }
  if (!row || row.role !== 'admin') throw new Error('Forbidden')
  return row
}
