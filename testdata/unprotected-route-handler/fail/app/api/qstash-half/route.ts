import { verifySignatureAppRouter } from '@upstash/qstash/nextjs'
import { db } from '@/lib/db-stub'

async function handler(request: Request) {
  const job = await request.json()
  await db.audit.create({ data: { job } })
  return Response.json({ ok: true })
}

export const POST = verifySignatureAppRouter(handler)

// The same handler, unwrapped, under another method.
export const PUT = handler // expect: unprotected-route-handler
