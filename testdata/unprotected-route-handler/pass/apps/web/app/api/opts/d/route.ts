import { withForwarded, withOverridable } from '@/lib/with-checks'
import { db } from '@/lib/prisma'

export const PATCH = withForwarded(async (req) => Response.json(await db.note.update(await req.json())), {
  requireSession: true,
})

// Options that leave `requireSession` as `withOverridable` sets it.
export const GET = withOverridable(async () => Response.json(await db.note.findMany()))
export const POST = withOverridable(async (req) => Response.json(await db.note.create(await req.json())), {
  audit: true,
})
