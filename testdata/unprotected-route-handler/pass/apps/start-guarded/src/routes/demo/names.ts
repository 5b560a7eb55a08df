import { createFileRoute } from '@tanstack/react-router'
import { json } from '@tanstack/react-start'

// A constant answer built with the framework's `json` helper.
export const Route = createFileRoute('/demo/names')({
  server: {
    handlers: {
      GET: () => json(['Ada', 'Grace', 'Linus']),
    },
  },
})
