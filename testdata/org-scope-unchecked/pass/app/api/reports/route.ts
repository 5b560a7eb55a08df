import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Scoped by the session's own organization: nothing comes from the request.
export async function GET() {
  const { orgId } = await auth()
  if (!orgId) return new Response('No active organization', { status: 403 })
  return Response.json(await db.report.findMany({ where: { orgId } }))
}

export async function POST(req: Request) {
  const { orgId: active } = await auth()
  const orgId = new URL(req.url).searchParams.get('orgId')
  if (orgId !== active) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.report.create({ data: { orgId } }))
}
