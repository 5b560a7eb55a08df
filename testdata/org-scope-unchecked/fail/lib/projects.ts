import { db } from './db'

// No check: it trusts its caller.
export async function listOrgProjects(orgId: string) {
  return db.project.findMany({ where: { orgId } })
}
