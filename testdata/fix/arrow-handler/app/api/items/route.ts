import { db } from '@/lib/db'

export const GET = async () => Response.json(await db.item.findMany())
