import { getProfile, historyForUser } from '@/lib/cached-user'

export async function GET() {
  const profile = await getProfile()
  if (!profile) return new Response(null, { status: 401 })
  return Response.json(profile)
}

// Tail call: the helper checks the session, then does the work.
export async function POST() {
  return Response.json(await historyForUser())
}
