'use client'
import { saveInvoice, findInvoices } from '../server/invoices'

export function Invoice() {
  void saveInvoice({ data: { amount: 3 } })
  void findInvoices({ data: { query: 'x' } })
  return <p>invoice</p>
}
