export const db = {
  notes: {
    create: async (note: { owner: string | null; text: string }) => ({ id: 1, ...note }),
  },
}
