import { auth } from '@clerk/nextjs/server'
import { listProjects } from '@/lib/projects'

export default async function Dashboard() {
  const { userId, redirectToSignIn } = await auth()
  if (!userId) return redirectToSignIn()
  const projects = await listProjects(userId)
  return (
    <ul>
      {projects.map((p) => (
        <li key={p.id}>{p.name}</li>
      ))}
    </ul>
  )
}
