import { auth } from '@clerk/nextjs/server'

// Only logged and echoed: no data is read with it.
export async function GET(_req: Request, { params }: { params: { orgId: string } }) {
  await auth.protect()
  console.log('details requested for', params.orgId)
  return Response.json({ requested: params.orgId })
}
