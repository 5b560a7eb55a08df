export async function listInvoices() {
  const res = await fetch('https://internal.example.com/invoices')
  return res.json()
}
