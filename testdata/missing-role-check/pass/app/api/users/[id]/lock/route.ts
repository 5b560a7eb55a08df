import { checkRole } from '@/lib/roles'
import { clerk } from '@/lib/clerk'

export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!(await checkRole('admin'))) return new Response('Forbidden', { status: 403 })
  const { id } = await params
  await clerk.users.lockUser(id)
  return Response.json({ locked: id })
}

export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const isAdmin = await checkRole('admin')
  if (!isAdmin) return new Response('Forbidden', { status: 403 })
  const { id } = await params
  await clerk.users.unlockUser(id)
  return Response.json({ unlocked: id })
}
