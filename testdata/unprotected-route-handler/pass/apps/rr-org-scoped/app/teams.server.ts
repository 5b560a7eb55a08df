import { db } from './db.server'

// Nothing is read without an organization: a signed-out caller has none.
export function listTeams({ org }: { org: string | null | undefined }) {
  if (!org) {
    return []
  }
  return db.team.findMany({ where: { org } })
}

export async function notesOf(owner: string | null, limit = 20) {
  if (!owner) throw new Response('Unauthorized', { status: 401 })
  return db.note.findMany({ where: { owner }, take: limit })
}
