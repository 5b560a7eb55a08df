import { recordVisit } from '@/lib/audit'

// Near miss: awaits a helper that does nothing, answers a constant.
export async function GET() {
  await recordVisit('/api/ping')
  return Response.json({ ok: true })
}
