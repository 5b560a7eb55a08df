import { orgStatus } from '../../../lib/subscription'

// A server secret served to anyone beside the helper's answer.
export async function GET() { // expect: unprotected-route-handler
  return Response.json({ ...(await orgStatus()), key: process.env.BILLING_API_KEY })
}
