import { sendDigest } from '../../../lib/digest'

// The timer here runs work later: scheduling a digest for anyone who asks is work.
export async function POST() { // expect: unprotected-route-handler
  await new Promise((resolve) => setTimeout(() => resolve(sendDigest()), 500))
  return Response.json({ scheduled: true })
}
