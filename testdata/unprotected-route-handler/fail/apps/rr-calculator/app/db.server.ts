export const db = {
  measurement: { create: async (_q: unknown) => ({ id: 'm1' }) },
}
