const notes = new Map<string, string[]>()

export async function listNotes(userId: string): Promise<string[]> {
  return notes.get(userId) ?? []
}
