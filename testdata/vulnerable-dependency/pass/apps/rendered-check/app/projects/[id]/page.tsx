import { Suspense } from 'react'
import ProjectView from '../../../components/project-view'

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <Suspense fallback={<p>Loading</p>}>
      <ProjectView id={id} />
    </Suspense>
  )
}
