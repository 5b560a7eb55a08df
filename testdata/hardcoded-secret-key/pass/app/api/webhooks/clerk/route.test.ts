import { Webhook } from 'svix'
import { POST } from './route'

// A test mints its own signing secret to sign the payloads it posts: no endpoint trusts it.
const secret = 'whsec_vgc+G4qUxgIf2cp0UCmo4JqvtE9QrgJs'

test('accepts a signed event', async () => {
  process.env.CLERK_WEBHOOK_SIGNING_SECRET = secret
  const body = JSON.stringify({ type: 'user.created', data: { id: 'user_1' } })
  const headers = { 'svix-id': 'msg_1', 'svix-timestamp': String(Math.floor(Date.now() / 1000)) }
  const signature = new Webhook(secret).sign('msg_1', new Date(), body)
  const res = await POST(new Request('http://x', { method: 'POST', body, headers: { ...headers, 'svix-signature': signature } }))
  expect(res.status).toBe(200)
})
