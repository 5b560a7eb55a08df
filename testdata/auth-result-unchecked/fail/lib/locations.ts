const rows = {
  findMany: async (query: unknown) => [query],
  count: async (query: unknown) => [query].length,
}

// Tests another key: a missing id still runs the query.
export function getLocations({ id, name }: { id?: string | null; name?: string }) {
  if (!name) return []
  return rows.findMany({ where: { organizationId: id } })
}

// Without an id it reads every row: that is no refusal.
export function listAll({ id }: { id?: string | null }) {
  if (!id) return rows.findMany({})
  return rows.findMany({ where: { organizationId: id } })
}

// The id is used before it is tested.
export async function countUsed({ id }: { id: string | null }) {
  const n = await rows.count({ where: { organizationId: id } })
  if (!id) return 0
  return n
}
