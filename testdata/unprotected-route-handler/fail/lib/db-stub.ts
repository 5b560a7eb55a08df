export const db = {
  audit: { create: async (_: unknown) => ({}) },
}
