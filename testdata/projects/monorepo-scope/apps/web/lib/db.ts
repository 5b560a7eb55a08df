export const db = {
  orders: async () => [] as string[],
  ping: async () => true,
}
