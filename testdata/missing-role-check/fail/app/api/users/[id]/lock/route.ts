import { auth } from '@clerk/nextjs/server'
import { clerk } from '@/lib/clerk'

export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { userId, has } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { id } = await params
  await clerk.users.lockUser(id) // expect: missing-role-check
  // Too late: the user is already locked.
  if (!has({ role: 'org:admin' })) return new Response('Forbidden', { status: 403 })
  return Response.json({ locked: id })
}
