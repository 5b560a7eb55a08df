import { createFileRoute } from '@tanstack/react-router'
import { auth } from '@clerk/tanstack-react-start/server'
import { db } from '../../server/db'

export const Route = createFileRoute('/api/notes')({
  server: {
    handlers: {
      GET: async () => Response.json(await db.notes.all()), // expect: unprotected-route-handler
      POST: async () => {
        const { userId } = await auth()
        if (!userId) return new Response('Unauthorized', { status: 401 })
        return Response.json(await db.notes.forUser(userId))
      },
    },
  },
})
