import { db } from '@/lib/db'

export async function GET() {
  return Response.json({ users: await db.user.findMany() })
}
