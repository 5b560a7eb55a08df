export const db = {
  settings: {
    all: async () => [] as unknown[],
    forUser: async (_id: string) => [] as unknown[],
  },
}
