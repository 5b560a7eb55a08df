import { createServerFn } from '@tanstack/react-start'
import { invoiceSchema, searchSchema, storeInvoice, InvoiceDto } from '../services/invoices'

// A type re-exported for the client: the compiler erases it.
export type { InvoiceDto }

// The schemas are used only by validator steps and the service only by handlers: the client
// build removes both, and the service's import goes with them.
export const saveInvoice = createServerFn({ method: 'POST' })
  .validator(invoiceSchema)
  .handler(async ({ data }) => storeInvoice(data.amount))

export const findInvoices = createServerFn({ method: 'GET' })
  .inputValidator(searchSchema)
  .handler(async () => storeInvoice(0))
