'use server'

import { db } from '@/lib/db'

// Imported only through a path alias nothing configures (`@legacy/exports/actions`): the
// resolver cannot follow it, so the module may be the one it names and counts as bundled.
export async function exportAll() { // expect: unprotected-server-action
  await db.remove('all')
}
