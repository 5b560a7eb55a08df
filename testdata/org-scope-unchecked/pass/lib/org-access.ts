import { auth } from '@clerk/nextjs/server'
import { db } from './db'

// Named like a check.
export async function requireOrgMember(orgId: string) {
  const { orgId: active } = await auth()
  if (active !== orgId) throw new Error('Forbidden')
}

// Not named like one, but it compares its argument with the session before querying.
export async function loadOrgProjects(orgId: string) {
  const session = await auth()
  if (session.orgId !== orgId) throw new Error('Forbidden')
  return db.project.findMany({ where: { orgId } })
}
