export async function loadStats() {
  const res = await fetch('https://internal.example.com/stats', { headers: { authorization: `Bearer ${process.env.STATS_TOKEN}` } })
  return res.json()
}
