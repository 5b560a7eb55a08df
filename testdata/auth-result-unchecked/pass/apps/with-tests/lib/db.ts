export const db = { visit: { create: async (_: unknown) => ({}) } }
