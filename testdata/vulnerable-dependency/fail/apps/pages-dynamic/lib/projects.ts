export async function loadProject(id: string) {
  const res = await fetch(`https://internal.example.com/projects/${id}`)
  return res.json()
}
