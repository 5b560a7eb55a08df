import { timingSafeEqual } from 'crypto'
import { runDueJobs } from '@/lib/jobs'

function isValidSecret(header: string | null): boolean {
  const expected = process.env.JOBS_SECRET
  if (!header || !expected) return false
  const given = Buffer.from(header.replace('Bearer ', ''))
  const wanted = Buffer.from(expected)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

export async function GET(req: Request) {
  if (!isValidSecret(req.headers.get('authorization'))) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json(await runDueJobs())
}
