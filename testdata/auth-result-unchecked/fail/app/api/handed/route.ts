import { auth } from '@clerk/nextjs/server'
import { logVisit } from '@/lib/visits'

// Handed to a function that never tests it: still unchecked.
export async function POST() {
  const { userId } = await auth() // expect: auth-result-unchecked
  await logVisit(userId)
  return Response.json({ ok: true })
}
