export const db = {
  team: { findMany: async (_q?: unknown) => [] as unknown[] },
  note: { findMany: async (_q?: unknown) => [] as unknown[] },
}
