import crypto from 'crypto'
import { db } from '../../../../lib/db'

const MAIL_KEY = process.env.MAIL_PROVIDER_KEY

// The mail provider signs each notification with a shared key: the digest is computed here and
// compared by hand before anything changes.
export async function POST(req: Request) {
  const sent = req.headers.get('x-mail-digest')
  const body = await req.text()
  const expected = crypto.createHmac('sha256', MAIL_KEY!).update(body).digest('hex')
  if (!sent || sent !== expected) return new Response('unauthorized', { status: 401 })
  const note = JSON.parse(body)
  await db.mailbox.update({ where: { id: note.mailboxId }, data: { stale: true } })
  return new Response('ok')
}
