export async function listInvoices(owner: string | null) {
  const res = await fetch(`https://internal.example.com/invoices?owner=${owner}`)
  return res.json()
}
