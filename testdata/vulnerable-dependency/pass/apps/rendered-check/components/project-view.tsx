import { requireUser } from '../lib/auth'

export default async function ProjectView({ id }: { id: string }) {
  const userId = await requireUser()
  const res = await fetch(`https://internal.example.com/users/${userId}/projects/${id}`)
  const project = await res.json()
  return <h1>{project.name}</h1>
}
