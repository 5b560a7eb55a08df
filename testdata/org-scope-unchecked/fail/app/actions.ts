'use server'

import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function archiveOrgProjects(orgId: string) {
  await auth.protect()
  await db.project.updateMany({ where: { orgId }, data: { archived: true } }) // expect: org-scope-unchecked
}

export async function renameOrg(formData: FormData) {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  const organizationId = formData.get('organizationId') as string
  await db.org.update({ where: { id: organizationId }, data: { name: formData.get('name') } }) // expect: org-scope-unchecked
}
