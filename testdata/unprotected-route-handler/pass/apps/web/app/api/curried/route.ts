import { access, withAccess } from '@/lib/access'
import { db } from '@/lib/prisma'

export const GET = access.member()(async () => Response.json(await db.note.findMany()))

export const POST = withAccess({ scope: 'writer' })(async (req) =>
  Response.json(await db.note.create({ data: await req.json() })),
)
