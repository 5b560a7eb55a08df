import { db } from '@/lib/db'

export async function GET() { // expect: unprotected-route-handler
  return Response.json({ invoices: await db.invoice.findMany() })
}
