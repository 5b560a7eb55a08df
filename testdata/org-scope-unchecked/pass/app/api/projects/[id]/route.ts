import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Not an organization id.
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { orgId } = await auth()
  const { id } = await params
  return Response.json(await db.project.findFirst({ where: { id, orgId } }))
}
