import { db } from '@/lib/db'

export async function GET() {
  return Response.json({ account: await db.account.findFirst() })
}
