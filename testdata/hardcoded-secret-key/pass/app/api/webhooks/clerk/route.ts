import { Webhook } from 'svix'

// Placeholders, documentation examples and values too short to be a signing secret.
const examples = [
  'whsec_...',
  'whsec_xxx',
  'whsec_your_secret',
  'whsec_your_webhook_signing_secret_here',
  'whsec_YOURSIGNINGSECRETFROMTHECLERKDASHBOARD',
  'whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'whsec_abcdefghijklmnopqrstuvwxyz012345',
  'whsec_Ab12Ab12Ab12Ab12Ab12Ab12Ab12Ab12',
  'whsec_vgc+G4qUxgIf2cp0UC',
  // The Standard Webhooks test vector, shown in Svix's docs.
  'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
]

export async function POST(req: Request) {
  const secret = process.env.CLERK_WEBHOOK_SIGNING_SECRET
  if (!secret) return new Response('Missing CLERK_WEBHOOK_SIGNING_SECRET', { status: 500 })
  const evt = new Webhook(secret).verify(await req.text(), Object.fromEntries(req.headers))
  return Response.json({ ok: Boolean(evt), examples: examples.length })
}
