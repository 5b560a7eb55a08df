type Query = Record<string, unknown>
const table = {
  findMany: async (_q: Query) => [] as { id: string }[],
  findFirst: async (_q: Query) => null as { id: string } | null,
  create: async (_q: Query) => ({ id: 'x' }),
  update: async (_q: Query) => ({ id: 'x' }),
  updateMany: async (_q: Query) => ({ count: 0 }),
}
export const db = { project: table, org: table, report: table, auditLog: table }
