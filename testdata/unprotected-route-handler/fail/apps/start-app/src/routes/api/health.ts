import { createFileRoute } from '@tanstack/react-router'
import { json } from '@tanstack/react-start'
import { db } from '../../server/db'

export const Route = createFileRoute('/api/health')({
  server: {
    handlers: {
      // A probe URL whose handler deletes data is not a probe.
      GET: async () => { // expect: unprotected-route-handler
        await db.notes.remove('expired')
        return json({ ok: true })
      },
      // Only GET and HEAD are probes.
      POST: async ({ request }) => { // expect: unprotected-route-handler
        await db.notes.remove(await request.text())
        return json({ ok: true })
      },
    },
  },
})
