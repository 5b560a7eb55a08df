import { verifySignature } from '@/lib/signature'
import { db } from '@/lib/db'

// The signing secret is optional in development only: set, it is verified; unset, production
// refuses every request.
export async function POST(req: Request) {
  const secret = process.env.EVENTS_SIGNING_SECRET
  const body = await req.text()
  if (secret) {
    const signature = req.headers.get('x-signature')
    if (!signature) {
      return Response.json({ error: 'Missing signature' }, { status: 401 })
    }
    if (!verifySignature(body, signature, secret)) {
      return Response.json({ error: 'Invalid signature' }, { status: 401 })
    }
  } else if (process.env.NODE_ENV === 'production') {
    return Response.json({ error: 'Signing secret not configured' }, { status: 503 })
  } else {
    console.warn('accepting unsigned events (development)')
  }
  await db.event.create({ data: JSON.parse(body) })
  return Response.json({ ok: true })
}
