export type Project = { id: string; name: string; ownerId: string }

const projects: Project[] = []

export async function listProjects(ownerId: string) {
  return projects.filter((p) => p.ownerId === ownerId)
}

export async function createProject(ownerId: string, name: string) {
  const project = { id: crypto.randomUUID(), name, ownerId }
  projects.push(project)
  return project
}

export async function renameProject(ownerId: string, id: string, name: string) {
  const p = projects.find((x) => x.id === id && x.ownerId === ownerId)
  if (p) p.name = name
}

export async function archiveProject(id: string) {
  const i = projects.findIndex((x) => x.id === id)
  if (i >= 0) projects.splice(i, 1)
}

export async function syncUser(id: string) {
  return id
}
