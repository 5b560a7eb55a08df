import { recordVisit } from '@/lib/audit'

export async function GET() { // expect: unprotected-route-handler
  await recordVisit('/api/ping')
  return Response.json({ ok: true })
}
