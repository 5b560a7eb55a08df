import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export function GET() {
  const { userId } = auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(db.user.findUnique({ where: { id: userId } }))
}
