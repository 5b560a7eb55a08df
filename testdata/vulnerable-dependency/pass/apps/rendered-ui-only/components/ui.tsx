import styled from 'styled-components'
import { cn } from '../lib/cn'
import { listInvoices } from '../lib/invoices'

const sizes = { lg: 'text-2xl', sm: 'text-sm' }

export function Title({ children, size = 'lg' }: { children: React.ReactNode; size?: 'lg' | 'sm' }) {
  return <h1 className={cn('font-bold', sizes[size])}>{children}</h1>
}

export const Divider = styled.hr`
  margin: 1rem 0;
`

// Not rendered by the dashboard.
export async function InvoiceList() {
  const invoices = await listInvoices()
  return <ul>{invoices.map((i: { id: string }) => <li key={i.id}>{i.id}</li>)}</ul>
}
