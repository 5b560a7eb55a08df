export const db = {
  query: async (_sql: string) => [] as unknown[],
}
