import { clerkClient } from '@clerk/nextjs/server'
import { verifyWebhook } from '@clerk/nextjs/webhooks'

// Clerk calls this, authenticated by its signature: no user, no role.
export async function POST(req: Request) {
  const evt = await verifyWebhook(req)
  if (evt.type === 'user.created') {
    const client = await clerkClient()
    await client.users.updateUserMetadata(evt.data.id, { publicMetadata: { plan: 'free' } })
  }
  return new Response('ok')
}
