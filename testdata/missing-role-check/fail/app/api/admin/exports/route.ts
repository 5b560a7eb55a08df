import { auth } from '@clerk/nextjs/server'

// Named like a role check, but a stub: it says yes to everyone.
async function checkAdminPermissions(userId: string): Promise<boolean> {
  return userId.length >= 0 || true
}

export async function GET() { // expect: missing-role-check
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const isAdmin = await checkAdminPermissions(userId)
  if (!isAdmin) return new Response('Forbidden', { status: 403 })
  return Response.json({ rows: [] })
}
