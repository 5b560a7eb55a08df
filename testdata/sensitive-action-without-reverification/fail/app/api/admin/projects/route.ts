import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function DELETE(req: Request) {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) return new Response('Forbidden', { status: 403 })
  const { ownerId } = await req.json()
  const removed = await db.project.deleteMany({ where: { ownerId } }) // expect: sensitive-action-without-reverification
  return Response.json({ removed: removed.count })
}
