import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export default async function OrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  await auth.protect()
  const { orgId } = await params
  const projects = await db.project.findMany({ where: { orgId } }) // expect: org-scope-unchecked
  return (
    <ul>
      {projects.map((p) => (
        <li key={p.id}>{p.id}</li>
      ))}
    </ul>
  )
}
