import { Webhook } from 'svix'

export async function POST(req: Request) {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!)
  let evt
  try {
    evt = wh.verify(await req.text(), Object.fromEntries(req.headers))
  } catch {
    return new Response('Bad signature', { status: 400 })
  }
  return Response.json(evt)
}
