export async function action({ request }: { request: Request }) {
  const body = await request.json()
  return fetch('https://reports.example.com', { method: 'POST', body: JSON.stringify(body) })
}
