import { withChecks } from '@/lib/with-checks'
import { db } from '@/lib/prisma'

export const POST = withChecks(
  async (req) => Response.json(await db.note.create({ data: await req.json() })),
  { audit: false, requireSession: true },
)

export const DELETE = withChecks(async () => Response.json(await db.note.deleteMany()), {
  requireOrg: true,
})
