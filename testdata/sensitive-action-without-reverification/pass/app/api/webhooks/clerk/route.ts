import { clerkClient } from '@clerk/nextjs/server'
import { verifyWebhook } from '@clerk/nextjs/webhooks'

// Called by Clerk, not by a user: a machine caller.
export async function POST(req: Request) {
  const evt = await verifyWebhook(req)
  if (evt.type === 'organization.deleted' && evt.data.id) {
    const client = await clerkClient()
    const { data } = await client.organizations.getOrganizationMembershipList({ organizationId: evt.data.id })
    for (const m of data) {
      if (m.publicUserData?.userId) await client.users.deleteUser(m.publicUserData.userId)
    }
  }
  return new Response(null, { status: 204 })
}
