'use server'

import { db } from '@/lib/db'

export async function archive(id: string) {
  await db.note.delete({ where: { id } })
}
