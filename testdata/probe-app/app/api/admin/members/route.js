import { auth } from '@clerk/nextjs/server'

const members = [
  { id: 'user_member', role: 'org:member' },
  { id: 'user_admin', role: 'org:admin' },
]

// Admins only: `auth.protect({ role })` answers other signed-in users with a 404.
export async function GET() {
  await auth.protect({ role: 'org:admin' })
  return Response.json({ members })
}
