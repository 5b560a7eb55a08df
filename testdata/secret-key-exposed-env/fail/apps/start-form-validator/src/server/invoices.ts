import { createServerFn } from '@tanstack/react-start'
import { invoiceSchema, searchSchema, storeInvoice } from '../services/invoices'
import { createForm } from '../lib/form'

export const saveInvoice = createServerFn({ method: 'POST' })
  .validator(invoiceSchema)
  .handler(async ({ data }) => storeInvoice(data.amount))

export const findInvoices = createServerFn({ method: 'GET' })
  .inputValidator(searchSchema)
  .handler(async () => storeInvoice(0))

// Another builder's validator step is not removed: the schema's import stays in the client copy.
export const invoiceForm = createForm().validator(invoiceSchema)
