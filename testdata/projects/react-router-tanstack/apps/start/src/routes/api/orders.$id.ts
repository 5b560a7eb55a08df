import { createFileRoute } from '@tanstack/react-router'

export const Route = createFileRoute('/api/orders/$id')({
  server: {
    handlers: {
      DELETE: async ({ params }) => fetch(`https://shop.example.com/orders/${params.id}`, { method: 'DELETE' }),
    },
  },
})
