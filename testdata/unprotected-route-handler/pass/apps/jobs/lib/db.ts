export const db = {
  user: { create: async (_: unknown) => ({}) },
}
