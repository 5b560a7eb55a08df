export async function loadProject(id: string, viewer: string | null) {
  const res = await fetch(`https://internal.example.com/projects/${id}?viewer=${viewer}`)
  return res.json()
}
