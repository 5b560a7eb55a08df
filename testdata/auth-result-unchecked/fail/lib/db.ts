export const db = { async notes(owner: string | null) { return [owner] } }
