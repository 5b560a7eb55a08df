import { auth } from '@clerk/nextjs/server'

export async function POST() {
  const { has } = await auth()
  if (!has({ permission: 'org:billing:manage', reverification: 'strict' })) {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json({ ok: true })
}
