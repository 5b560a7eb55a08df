import { createFileRoute } from '@tanstack/react-router'
import { json } from '@tanstack/react-start'
import { db } from '../server/db'

async function databaseUp() {
  try {
    await db.query('select 1')
    return true
  } catch {
    return false
  }
}

// A monitor's health probe: reports whether the service is up, anonymous by design.
export const Route = createFileRoute('/health')({
  server: {
    handlers: {
      GET: async () => {
        const database = await databaseUp()
        return json({ ok: database, uptime: process.uptime() }, { status: database ? 200 : 503 })
      },
    },
  },
})
