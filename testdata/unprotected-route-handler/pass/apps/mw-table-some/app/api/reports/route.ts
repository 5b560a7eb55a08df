import { db } from '@/lib/db'

// In the table: a signed-out request is redirected by the middleware.
export async function GET() {
  return Response.json({ reports: await db.report.findMany() })
}
