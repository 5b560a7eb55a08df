import { withErrorHandling } from '@acme/http'
import { db } from '@/lib/db'

class ApiError extends Error {}

// Near miss: it refuses only when there is nothing to answer.
export const GET = withErrorHandling(async () => { // expect: unprotected-route-handler
  const rows = await db.order.findMany()
  if (rows.length === 0) {
    throw new ApiError('No orders')
  }
  return Response.json(rows)
})
