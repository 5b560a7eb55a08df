import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// A user deleting their own rows, with no admin role involved: not an admin operation.
export async function DELETE(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { id } = await req.json()
  await db.project.delete({ where: { id, ownerId: userId } })
  return new Response(null, { status: 204 })
}
