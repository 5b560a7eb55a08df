import { withAuth } from '@/lib/with-auth'

export const POST = withAuth(async (req, userId) => {
  return Response.json({ userId })
})
