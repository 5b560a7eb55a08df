import { createFileRoute } from '@tanstack/react-router'
import { db } from '../../../server/db'

// A load balancer's readiness probe under a versioned API prefix.
export const Route = createFileRoute('/api/v1/readyz')({
  server: {
    handlers: {
      GET: async () => {
        const ready = await db.query('select 1').then(() => true, () => false)
        return new Response(ready ? 'ready' : 'starting', { status: ready ? 200 : 503 })
      },
    },
  },
})
