'use server'

import { auth } from '@clerk/nextjs/server'
import { z } from 'zod'
import { db } from '@/lib/db'

export async function archiveOrgProjects(orgId: string) {
  const { orgId: active } = await auth()
  if (orgId !== active) throw new Error('Forbidden')
  await db.project.updateMany({ where: { orgId }, data: { archived: true } })
}

export async function checkOrgId(organizationId: string) {
  await auth.protect()
  return z.string().startsWith('org_').safeParse(organizationId).success
}
