import { db } from '@/lib/db'
import { withActiveOrg } from '@/lib/with-org'

// `orgId` here comes from the wrapper (the session), not from the URL.
export const GET = withActiveOrg(async (_req, { orgId }) => {
  return Response.json(await db.report.findMany({ where: { orgId } }))
})
