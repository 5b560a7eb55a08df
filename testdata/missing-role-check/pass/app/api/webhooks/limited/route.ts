import { clerkClient } from '@clerk/nextjs/server'
import { Webhook } from 'svix'
import { withRateLimit, webhookLimiter } from '@acme/security'

// The signature is verified inside the rate limiter's callback, which is the rest of the
// handler: a machine caller, no user and no role.
export async function POST(req: Request) {
  return withRateLimit(req, webhookLimiter, async () => {
    const body = await req.text()
    const evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? '').verify(body, {
      'svix-id': req.headers.get('svix-id') ?? '',
      'svix-timestamp': req.headers.get('svix-timestamp') ?? '',
      'svix-signature': req.headers.get('svix-signature') ?? '',
    }) as { data: { id: string } }
    const client = await clerkClient()
    await client.users.updateUser(evt.data.id, { publicMetadata: { synced: true } })
    return new Response('ok')
  })
}
