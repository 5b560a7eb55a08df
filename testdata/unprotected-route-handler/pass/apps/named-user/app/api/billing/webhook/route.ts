import { db } from '../../../../lib/db'
import { verifyWithProvider } from '../../../../lib/provider'

// The provider's notifications: verified by asking the provider itself before any write.
export async function POST(req: Request) {
  if (!(await verifyWithProvider(req))) return new Response('unauthorized', { status: 401 })
  const event = await req.json()
  await db.subscription.update({ where: { id: event.subscriptionId }, data: { status: event.status } })
  return new Response('ok')
}
