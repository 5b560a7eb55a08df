import { createFileRoute } from '@tanstack/react-router'
import { auth } from '@clerk/tanstack-react-start/server'

export const Route = createFileRoute('/api/notes')({
  server: {
    handlers: {
      GET: async () => {
        const { isAuthenticated, userId } = await auth()
        if (!isAuthenticated) return new Response(null, { status: 401 })
        return Response.json(await fetch(`https://api.example.com/notes?u=${userId}`).then((r) => r.json()))
      },
      OPTIONS: () => new Response(null, { status: 204 }),
    },
  },
})
