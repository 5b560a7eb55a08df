import { requireUser } from '../../../lib/auth'

export async function GET() {
  await requireUser()
  return Response.json({ reports: ['q1', 'q2'] })
}
