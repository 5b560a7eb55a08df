import { Webhook } from 'svix'

export async function POST(req: Request) {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!)
  const evt = wh.verify(await req.text(), Object.fromEntries(req.headers))
  console.log(evt)
  return new Response('ok')
}
