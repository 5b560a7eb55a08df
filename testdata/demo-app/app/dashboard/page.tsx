import { auth } from '@clerk/nextjs/server'
import { listProjects } from '@/lib/projects'
import { archive } from '../actions'

export default async function Dashboard() {
  const { userId, redirectToSignIn } = await auth()
  if (!userId) return redirectToSignIn()
  const projects = await listProjects(userId)
  return (
    <ul>
      {projects.map((p) => (
        <li key={p.id}>
          {p.name}
          <form action={archive.bind(null, p.id)}>
            <button>Archive</button>
          </form>
        </li>
      ))}
    </ul>
  )
}
