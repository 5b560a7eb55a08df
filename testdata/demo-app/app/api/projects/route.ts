import { auth } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import { createProject, listProjects } from '@/lib/projects'

export async function GET() {
  const { userId } = await auth()
  if (!userId) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 })
  }
  return NextResponse.json(await listProjects(userId))
}

export async function POST(req: Request) {
  const body = await req.json()
  const project = await createProject(body.ownerId, body.name)
  return NextResponse.json(project, { status: 201 })
}
