import { withSession } from '@/lib/with-checks'
import { db } from '@/lib/prisma'

export const GET = withSession(async () => Response.json(await db.note.findMany()), { audit: true })
