import { createServerFn } from '@tanstack/react-start'
import { sql } from './sql'

// A connectivity check that hands the driver's error message to anyone (the failed query,
// the database host).
export const checkDatabase = createServerFn({ method: 'GET' }).handler(async () => { // expect: unprotected-route-handler
  try {
    const rows = await sql.select().from('users').limit(1)
    return { ok: true, count: rows.length }
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Unknown error'
    return { ok: false, error: message }
  }
})

// A check that answers the row it read.
export const sampleUser = createServerFn({ method: 'GET' }).handler(async () => { // expect: unprotected-route-handler
  const rows = await sql.select().from('users').limit(1)
  return { ok: true, user: rows[0] }
})
