import { verifySignature } from '@/lib/signature'
import { db } from '@/lib/db'

// Refused in production without a secret, but the verification's answer is never acted on.
export async function POST(req: Request) { // expect: unprotected-route-handler
  const secret = process.env.EVENTS_SIGNING_SECRET
  const body = await req.text()
  if (secret) {
    const signature = req.headers.get('x-signature') ?? ''
    const valid = verifySignature(body, signature, secret)
    console.log('signature valid:', valid)
  } else if (process.env.NODE_ENV === 'production') {
    return Response.json({ error: 'Signing secret not configured' }, { status: 503 })
  }
  await db.event.create({ data: JSON.parse(body) })
  return Response.json({ ok: true })
}
