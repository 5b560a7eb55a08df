import { createFileRoute } from '@tanstack/react-router'
import { json } from '@tanstack/react-start'
import { db } from '../../../server/db'

// "ready" here names orders, not a probe: only `/ready`, `/api/ready`, `/api/v1/ready` are probes.
export const Route = createFileRoute('/api/orders/ready')({
  server: {
    handlers: {
      GET: async () => json(await db.notes.all()), // expect: unprotected-route-handler
    },
  },
})
