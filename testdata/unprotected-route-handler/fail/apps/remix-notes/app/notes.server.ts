export const notes = {
  get: async (id: string) => fetch(`https://api.example.com/notes/${id}`).then((r) => r.json()),
}
