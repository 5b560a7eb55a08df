import { z } from 'zod'

export const invoiceSchema = z.object({ amount: z.number() })
export const searchSchema = z.object({ query: z.string() })

export async function storeInvoice(amount: number) {
  const res = await fetch('https://billing.example.com/invoices', {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` }, // expect: secret-key-exposed-env
    body: JSON.stringify({ amount }),
  })
  return res.json()
}
