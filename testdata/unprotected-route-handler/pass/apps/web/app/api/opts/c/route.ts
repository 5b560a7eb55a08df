import { withSyncedUser, withUser } from '@/lib/with-user'
import { db } from '@/lib/prisma'

export const GET = withSyncedUser(async (_req, userId) =>
  Response.json(await db.note.findMany({ where: { userId } })),
)

export const PUT = withUser(async (req, userId) =>
  Response.json(await db.note.update({ where: { userId }, data: await req.json() })),
)
