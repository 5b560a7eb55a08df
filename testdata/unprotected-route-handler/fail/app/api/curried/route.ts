import { access } from '@/lib/access'
import { db } from '@/lib/db'

export const GET = access.logged()(async () => Response.json(await db.note.findMany())) // expect: unprotected-route-handler

export const DELETE = access.unused()(async () => Response.json(await db.note.deleteMany())) // expect: unprotected-route-handler
