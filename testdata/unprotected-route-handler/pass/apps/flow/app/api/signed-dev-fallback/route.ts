import { Webhook } from 'svix'
import { db } from '@/lib/db'

// Signed requests are verified; an unsigned one is taken only in development, refused elsewhere.
export async function POST(req: Request) {
  const id = req.headers.get('svix-id')
  const timestamp = req.headers.get('svix-timestamp')
  const signature = req.headers.get('svix-signature')
  const body = await req.text()
  let event
  if (id && timestamp && signature) {
    try {
      event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, {
        'svix-id': id,
        'svix-timestamp': timestamp,
        'svix-signature': signature,
      })
    } catch {
      return new Response('Invalid signature', { status: 401 })
    }
  } else {
    // Local testing with curl.
    if (process.env.NODE_ENV === 'development') {
      event = JSON.parse(body)
    } else {
      return new Response('Missing headers', { status: 401 })
    }
  }
  await db.event.create({ data: event })
  return Response.json({ ok: true })
}
