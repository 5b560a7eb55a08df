import { auth } from '@clerk/nextjs/server'
import { notFound } from 'next/navigation'
import { db } from '@/lib/db'

export default async function OrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId: activeOrgId } = await auth.protect()
  const { orgId } = await params
  if (orgId !== activeOrgId) notFound()
  const projects = await db.project.findMany({ where: { orgId } })
  return (
    <ul>
      {projects.map((p) => (
        <li key={p.id}>{p.id}</li>
      ))}
    </ul>
  )
}
