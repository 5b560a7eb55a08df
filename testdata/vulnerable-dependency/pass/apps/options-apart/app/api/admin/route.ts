import { auth } from '@clerk/nextjs/server'

export async function GET() {
  await auth.protect({ role: 'org:admin' }, { unauthorizedUrl: '/' })
  const { has } = await auth()
  if (!has({ permission: 'org:billing:manage' })) return new Response(null, { status: 403 })
  return Response.json({ ok: true })
}
