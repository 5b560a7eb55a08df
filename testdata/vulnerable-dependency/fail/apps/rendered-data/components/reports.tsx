export default async function Reports() {
  const res = await fetch('https://internal.example.com/reports')
  const reports = await res.json()
  return <ul>{reports.map((r: { id: string }) => <li key={r.id}>{r.id}</li>)}</ul>
}
