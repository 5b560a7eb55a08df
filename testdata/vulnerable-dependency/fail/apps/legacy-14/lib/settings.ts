export async function loadSettings() {
  const res = await fetch('https://internal.example.com/settings')
  return res.json()
}
