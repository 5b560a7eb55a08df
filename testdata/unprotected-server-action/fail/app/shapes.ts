'use server'

import { db } from '@/lib/db'

export type NoteInput = { text: string }
export const LIMIT = 20

// A function bound to a name is an action all the same.
const purge = async () => {
  await db.remove('all')
}
export { purge } // expect: unprotected-server-action
