import { createFileRoute } from '@tanstack/react-router'
import { json } from '@tanstack/react-start'
import { catalog } from '../../server/catalog'

export const Route = createFileRoute('/api/catalog')({
  server: {
    handlers: {
      // `json` only builds the response; the imported `catalog` is data it serves.
      GET: () => json(catalog), // expect: unprotected-route-handler
    },
  },
})
