import { recordVisit } from '@/lib/visits'

// The preflight hands the request to a helper that writes a row.
export async function OPTIONS(request: Request) { // expect: unprotected-route-handler
  await recordVisit(request)
  return new Response(null, { status: 204 })
}
