import { db } from './db.server'

// Without an organization it lists every team.
export function listTeams({ org }: { org: string | null | undefined }) {
  if (!org) {
    return db.team.findMany()
  }
  return db.team.findMany({ where: { org } })
}

// The value is used before it is tested.
export async function notesOf(owner: string | null) {
  const rows = await db.note.findMany({ where: { owner } })
  if (!owner) return []
  return rows
}

// Tests what it is given, but it is given the whole auth object, which every caller has.
export async function draftsFor(auth: unknown) {
  if (!auth) return []
  return db.note.findMany({ where: { auth } })
}
