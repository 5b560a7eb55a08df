import { db } from '../../../lib/db'

// A contact form: anonymous on purpose, and it names no user.
export async function POST(req: Request) {
  const { email, message } = await req.json()
  await db.message.create({ data: { email, message } })
  return Response.json({ received: true })
}
