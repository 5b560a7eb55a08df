import { Webhook } from 'svix'
import { headers } from 'next/headers'

// A Clerk webhook endpoint whose signing secret is written into the code: anyone who reads
// the repository can sign events it accepts.
export async function POST(req: Request) {
  const secret = 'whsec_jUdgYAv+fdWSt2o+5wEMjDmAT7/0rjQB' // expect: hardcoded-secret-key
  const h = await headers()
  const evt = new Webhook(secret).verify(await req.text(), {
    'svix-id': h.get('svix-id') ?? '',
    'svix-timestamp': h.get('svix-timestamp') ?? '',
    'svix-signature': h.get('svix-signature') ?? '',
  })
  return Response.json({ ok: Boolean(evt) })
}
