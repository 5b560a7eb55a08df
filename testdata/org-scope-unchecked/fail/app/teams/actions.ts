'use server'

import { auth } from '@clerk/nextjs/server'
import { and, eq } from 'drizzle-orm'
import { dz, Orgs, OrgMembers } from '@/lib/drizzle'

// The organization's row goes back to the caller before the membership test.
export async function peekTeam(input: { organizationId: string }) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  const org = await dz.query.Orgs.findFirst({ where: eq(Orgs.id, input.organizationId) }) // expect: org-scope-unchecked
  if (!org) throw new Error('Not found')
  if (org.id.startsWith('demo')) return { name: org.name }
  const member = await dz.query.OrgMembers.findFirst({
    where: and(eq(OrgMembers.orgId, org.id), eq(OrgMembers.userId, userId)),
  })
  if (!member) throw new Error('Not a member')
  return { name: org.name }
}

// The membership test is keyed by a user id the caller sends.
export async function leaveTeamAs(input: { organizationId: string; as: string }) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  const org = await dz.query.Orgs.findFirst({ where: eq(Orgs.id, input.organizationId) }) // expect: org-scope-unchecked
  if (!org) throw new Error('Not found')
  const member = await dz.query.OrgMembers.findFirst({
    where: and(eq(OrgMembers.orgId, org.id), eq(OrgMembers.userId, input.as)),
  })
  if (!member) throw new Error('Not a member')
  await dz.delete(OrgMembers).where(eq(OrgMembers.id, member.id))
}
