import { requireUser } from '@/lib/auth'

export async function DELETE() {
  const userId = await requireUser()
  return Response.json({ deleted: userId })
}
