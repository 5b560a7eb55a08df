import { Webhook } from 'svix'
import { httpAction } from './_generated/server'
import { internal } from './_generated/api'

export const onClerkEvent = httpAction(async (ctx, request) => {
  const secret = process.env.CLERK_WEBHOOK_SECRET
  if (!secret) return new Response('not configured', { status: 500 })
  const payload = await request.text()
  const headers = {
    'svix-id': request.headers.get('svix-id') ?? '',
    'svix-timestamp': request.headers.get('svix-timestamp') ?? '',
    'svix-signature': request.headers.get('svix-signature') ?? '',
  }
  let event
  try {
    event = new Webhook(secret).verify(payload, headers)
  } catch {
    return new Response('bad signature', { status: 400 })
  }
  await ctx.runMutation(internal.users.sync, { event })
  return new Response('ok')
})
