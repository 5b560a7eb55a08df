export async function ServerPanel({ apiKey }: { apiKey?: string }) {
  const res = await fetch('https://admin.example.com', { headers: { key: String(apiKey) } })
  return <pre>{await res.text()}</pre>
}
