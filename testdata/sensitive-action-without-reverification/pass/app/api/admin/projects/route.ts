import { auth, reverificationErrorResponse } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function DELETE(req: Request) {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) return new Response('Forbidden', { status: 403 })
  if (!has({ reverification: 'strict' })) return reverificationErrorResponse('strict')
  const { ownerId } = await req.json()
  const removed = await db.project.deleteMany({ where: { ownerId } })
  return Response.json({ removed: removed.count })
}
