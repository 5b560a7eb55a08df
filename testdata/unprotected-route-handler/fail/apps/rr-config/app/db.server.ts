export const db = {
  project: {
    findMany: async () => [] as unknown[],
    findFirst: async (_q: unknown) => null,
    delete: async (_q: unknown) => null,
  },
}
