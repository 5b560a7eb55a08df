import { auth } from '@clerk/nextjs/server'

export async function GET() {
  const { has } = await auth()
  if (!has({ permission: 'org:reports:read' })) return new Response('Forbidden', { status: 403 })
  return Response.json({ users: 42 })
}
