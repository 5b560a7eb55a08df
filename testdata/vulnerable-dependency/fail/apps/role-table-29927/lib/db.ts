export const db = { account: { findMany: async () => [] as string[] } }
