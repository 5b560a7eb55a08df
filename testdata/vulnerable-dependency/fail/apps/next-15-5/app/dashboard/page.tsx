import { listInvoices } from '../../lib/invoices'

export default async function Dashboard() {
  const invoices = await listInvoices()
  return <ul>{invoices.map((i: { id: string }) => <li key={i.id}>{i.id}</li>)}</ul>
}
