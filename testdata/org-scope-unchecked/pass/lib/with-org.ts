import { auth } from '@clerk/nextjs/server'

type OrgHandler = (req: Request, ctx: { orgId: string }) => Promise<Response>

// Injects the session's own organization.
export function withActiveOrg(handler: OrgHandler) {
  return async (req: Request) => {
    const { orgId } = await auth()
    if (!orgId) return new Response('No organization', { status: 403 })
    return handler(req, { orgId })
  }
}
