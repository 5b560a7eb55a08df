import { getProject } from '../../../actions/projects'

// The data comes through `getProject`, which turns a signed-out request away: a request
// that skips the middleware (or sees another id than the middleware did) gets nothing.
export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const project = await getProject(id)
  return <h1>{project.name}</h1>
}
