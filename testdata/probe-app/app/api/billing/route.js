import { auth } from '@clerk/nextjs/server'

const invoices = [{ id: 'inv_1', total: 990 }]

export async function GET() {
  const { userId, orgRole } = await auth()
  if (!userId) {
    return new Response('Unauthorized', { status: 401 })
  }
  // Meant for admins, but `org:member` was let in for a demo and never taken out again.
  if (orgRole !== 'org:admin' && orgRole !== 'org:member') {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json({ invoices })
}
