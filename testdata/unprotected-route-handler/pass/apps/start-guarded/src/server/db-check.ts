import { createServerFn } from '@tanstack/react-start'
import { sql } from './sql'

// A connectivity check: no input, nothing written, and the answer holds only constants and
// how many rows came back.
export const checkDatabase = createServerFn({ method: 'GET' }).handler(async () => {
  try {
    const rows = await sql.select().from('users').limit(1)
    return { ok: true, count: rows.length }
  } catch (error) {
    console.error('database check failed', error)
    return { ok: false, error: 'Database unavailable' }
  }
})
