import { subscriptionInfo } from '../../../lib/subscription'

// Its only work is a helper that checks the session before its own.
export async function GET() {
  const info = await subscriptionInfo()
  return Response.json({ info })
}
