export const db = { orders: async () => [] as string[] }
