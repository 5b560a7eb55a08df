export async function search(q: string | null) {
  return q ? [q] : []
}

export async function dropIndex() {}
