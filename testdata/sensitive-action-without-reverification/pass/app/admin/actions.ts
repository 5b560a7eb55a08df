'use server'

import { requireStaff } from '@/lib/admin'
import { db } from '@/lib/db'

export async function renameProject(id: string, name: string) {
  await requireStaff()
  await db.project.update({ where: { id }, data: { name } })
  return { ok: true }
}
