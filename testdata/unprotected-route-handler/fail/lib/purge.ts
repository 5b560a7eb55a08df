import { db } from './db-stub'

export async function purgeRecords(kind: string, olderThanDays: number) {
  await db.audit.create({ data: { kind, olderThanDays } })
  return Response.json({ purged: kind })
}
