import { verifyWebhook } from '@clerk/nextjs/webhooks'
import { syncUser } from '@/lib/projects'

export async function POST(req: Request) {
  const evt = await verifyWebhook(req)
  if (evt.type === 'user.created') await syncUser(evt.data.id)
  return new Response('ok')
}
