import 'server-only'
export const db = { projects: async () => [] }
export type Project = { id: string }
