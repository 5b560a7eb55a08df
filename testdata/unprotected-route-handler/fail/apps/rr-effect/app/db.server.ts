export const db = {
  runs: {
    forUser: async (userId: string | null) => [{ userId }],
    byId: async (id: string) => ({ id }),
  },
}
