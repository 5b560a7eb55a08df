import { db } from '@/lib/db'

export async function GET() { // expect: unprotected-route-handler
  return Response.json({ reports: await db.report.findMany() })
}
