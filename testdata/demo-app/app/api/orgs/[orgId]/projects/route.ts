import { auth } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import { listProjects } from '@/lib/projects'

type Context = { params: Promise<{ orgId: string }> }

export async function GET(_req: Request, { params }: Context) {
  const { userId } = await auth()
  if (!userId) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 })
  }
  const { orgId } = await params
  return NextResponse.json(await listProjects(orgId))
}
