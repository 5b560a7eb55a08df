import { clerkClient } from '@clerk/nextjs/server'

// A scheduled job authenticated by a shared secret.
export async function GET(req: Request) {
  if (req.headers.get('authorization') !== `Bearer ${process.env.CRON_SECRET}`) {
    return new Response('Unauthorized', { status: 401 })
  }
  const client = await clerkClient()
  const { data } = await client.users.getUserList({ limit: 100 })
  for (const user of data) {
    if (user.banned) await client.users.deleteUser(user.id)
  }
  return Response.json({ ok: true })
}
