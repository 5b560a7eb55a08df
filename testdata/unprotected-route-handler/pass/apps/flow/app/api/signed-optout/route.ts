import crypto from 'crypto'
import { getServerConfig } from '@acme/config'
import { db } from '@/lib/db'

function validSignature(payload: string, signature: string | null, secret: string | undefined) {
  if (!secret || !signature) return false
  const digest = crypto.createHmac('sha256', secret).update(payload).digest('hex')
  const given = Buffer.from(signature)
  const wanted = Buffer.from(digest)
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted)
}

// The HMAC is required unless the deployment's configuration explicitly opts out.
export async function POST(request: Request) {
  const config = getServerConfig()
  const payload = await request.text()
  const skipSignature = config.hooks.skipSignature
  const signature = request.headers.get('x-hook-signature')
  const ok = validSignature(payload, signature, config.hooks.signingKey)
  if (!ok && !skipSignature) {
    return new Response('Bad signature', { status: 400 })
  }
  await db.hookEvent.create({ data: JSON.parse(payload) })
  return Response.json({ received: true })
}
