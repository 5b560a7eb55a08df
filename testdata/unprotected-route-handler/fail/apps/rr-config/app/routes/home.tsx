// Runs in the browser only: not a server entry.
export async function clientLoader() {
  const res = await fetch('/api/export')
  return res.json()
}

export default function Home() {
  return null
}
