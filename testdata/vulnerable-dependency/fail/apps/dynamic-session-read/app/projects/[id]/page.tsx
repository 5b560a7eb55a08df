import { auth } from '@clerk/nextjs/server'
import { loadProject } from '../../../lib/projects'

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { userId } = await auth()
  const { id } = await params
  const project = await loadProject(id, userId)
  return <h1>{project.name}</h1>
}
