export const db = {
  post: {
    findMany: async () => [],
    create: async (_: unknown) => ({}),
  },
}
