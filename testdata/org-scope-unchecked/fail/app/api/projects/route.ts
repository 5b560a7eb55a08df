import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { orgId, name } = await req.json()
  const project = await db.project.create({ data: { orgId, name, ownerId: userId } }) // expect: org-scope-unchecked
  return Response.json(project, { status: 201 })
}
