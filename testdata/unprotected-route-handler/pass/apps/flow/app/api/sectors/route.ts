import { requireAdmin } from '@/lib/require-admin'
import { db } from '@/lib/db'

// The helper gives back the 401/403 response to return, or nothing: work follows the check.
export async function POST(request: Request) {
  const authError = await requireAdmin()
  if (authError) return authError
  const data = await request.json()
  const row = await db.sector.create({ data })
  return Response.json(row)
}
