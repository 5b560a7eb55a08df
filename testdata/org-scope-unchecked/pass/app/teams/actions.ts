'use server'

import { auth } from '@clerk/nextjs/server'
import { and, eq } from 'drizzle-orm'
import { dz, Orgs, OrgMembers } from '@/lib/drizzle'

// The organization is read by the given id, then the caller's own membership row in it is
// required before anything else happens: the read shows nothing to a stranger.
export async function leaveTeam(input: { organizationId: string }) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  const org = await dz.query.Orgs.findFirst({ where: eq(Orgs.id, input.organizationId) })
  if (!org) throw new Error('Not found')
  const member = await dz.query.OrgMembers.findFirst({
    where: and(eq(OrgMembers.orgId, org.id), eq(OrgMembers.userId, userId)),
  })
  if (!member) throw new Error('Not a member')
  await dz.delete(OrgMembers).where(eq(OrgMembers.id, member.id))
}
