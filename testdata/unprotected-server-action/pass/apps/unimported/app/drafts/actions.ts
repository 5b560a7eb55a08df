'use server'

const db = { note: { async deleteMany() {} } }

// No page, layout or component imports this module: it is never bundled, and Next.js
// registers no action from it.
export async function purgeDrafts() {
  await db.note.deleteMany()
}
