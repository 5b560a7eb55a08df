import { db } from '@/lib/db'

export async function GET() {
  return Response.json({ invoices: await db.invoice.findMany() })
}
