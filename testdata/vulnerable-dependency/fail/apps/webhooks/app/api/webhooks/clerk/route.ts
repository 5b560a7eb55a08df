import { verifyWebhook } from '@clerk/nextjs/webhooks'

export async function POST(req: Request) {
  const evt = await verifyWebhook(req)
  console.log(evt.type)
  return new Response('ok')
}
