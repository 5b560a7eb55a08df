import { auth } from '@clerk/nextjs/server'
import { listInvoices } from '../../lib/invoices'

// No check of its own, but `auth()` throws when the middleware did not run: a request that
// skips the middleware gets an error, not the invoices.
export default async function Dashboard() {
  const { userId } = await auth()
  const invoices = await listInvoices(userId)
  return <ul>{invoices.map((i: { id: string }) => <li key={i.id}>{i.id}</li>)}</ul>
}
