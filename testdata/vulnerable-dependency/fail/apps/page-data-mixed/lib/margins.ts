export async function listMargins() {
  const res = await fetch('https://internal.example.com/margins')
  return res.json()
}
