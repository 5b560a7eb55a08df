import { db } from '@/lib/db'

export async function GET() {
  return Response.json({ reports: await db.report.findMany() })
}
