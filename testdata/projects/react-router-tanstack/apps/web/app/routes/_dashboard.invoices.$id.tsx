export async function loader({ params }: { params: { id: string } }) {
  return fetch(`https://billing.example.com/invoices/${params.id}`).then((r) => r.json())
}
