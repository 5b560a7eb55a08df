import { db } from './db'

export async function logVisit(userId: string | null) {
  await db.visit.create({ data: { userId: userId ?? 'anonymous' } })
}
