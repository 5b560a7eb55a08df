import { db } from '@/lib/db'

export async function GET() {
  return Response.json({ orders: await db.order.findMany() })
}
