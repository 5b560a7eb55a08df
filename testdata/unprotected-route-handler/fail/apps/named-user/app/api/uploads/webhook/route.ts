import { db } from '../../../../lib/db'

// The media service's callback. Public so that the service can reach it, but nothing proves
// the service sent it (the signature check was left out): anyone can attach files to any item.
export async function POST(req: Request) { // expect: unprotected-route-handler
  const form = await req.formData()
  const itemId = String(form.get('itemId'))
  await db.item.partialUpdate({ id: itemId, media: String(form.get('url')) })
  return new Response('ok')
}
