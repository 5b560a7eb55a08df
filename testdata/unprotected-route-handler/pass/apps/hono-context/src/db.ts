export const db = { notes: async (u: string) => [u], remove: async (id: string, u: string) => {} }
