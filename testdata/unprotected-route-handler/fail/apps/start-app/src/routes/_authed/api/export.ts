import { createFileRoute } from '@tanstack/react-router'
import { db } from '../../../server/db'

export const Route = createFileRoute('/_authed/api/export')({
  server: {
    handlers: {
      POST: async () => Response.json(await db.notes.all()), // expect: unprotected-route-handler
    },
  },
})
