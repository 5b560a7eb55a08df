export const db = {
  notes: { list: async (_: string) => [], create: async (_: unknown) => ({}) },
  invoices: { list: async (_: string) => [] },
}
