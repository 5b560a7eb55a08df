import { createServerFn } from '@tanstack/react-start'
import { invoiceSchema, searchSchema, storeInvoice } from '../services/invoices'

// validateClient: true keeps this validator (and the schema's import) in the client copy.
export const saveInvoice = createServerFn({ method: 'POST', validateClient: true })
  .validator(invoiceSchema)
  .handler(async ({ data }) => storeInvoice(data.amount))

export const findInvoices = createServerFn({ method: 'GET' })
  .inputValidator(searchSchema)
  .handler(async () => storeInvoice(0))
