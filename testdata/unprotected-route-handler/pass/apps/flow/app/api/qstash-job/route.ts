import { verifySignatureAppRouter } from '@upstash/qstash/nextjs'
import { db } from '@/lib/db'

async function handler(request: Request) {
  const job = await request.json()
  await db.job.update({ where: { id: job.id }, data: { done: true } })
  return Response.json({ ok: true })
}

// QStash's wrapper answers an error unless the Upstash-Signature verifies.
export const POST = verifySignatureAppRouter(handler)
