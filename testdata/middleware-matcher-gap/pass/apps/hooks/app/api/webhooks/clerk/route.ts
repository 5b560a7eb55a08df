import { verifyWebhook } from '@clerk/nextjs/webhooks'

export async function POST(req: Request) {
  const evt = await verifyWebhook(req)
  return Response.json({ type: evt.type })
}
