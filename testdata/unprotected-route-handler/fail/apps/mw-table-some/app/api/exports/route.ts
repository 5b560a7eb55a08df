import { db } from '@/lib/db'

// Not in the table: the middleware lets a signed-out request through.
export async function GET() { // expect: unprotected-route-handler
  return Response.json({ rows: await db.report.findMany() })
}
