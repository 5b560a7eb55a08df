export const db = {
  visits: { create: async (_: unknown) => ({}), count: async () => 0 },
  users: { findMany: async () => [{ id: 'u1', email: 'a@example.com' }] },
}
