import { auth, currentUser } from '@clerk/nextjs/server'

const db = { trial: { async create(_: unknown) {} }, audit: { async create(_: unknown) {} } }

// The user object is used before the id is tested: a signed-out request writes its null user.
export async function POST() {
  const { userId } = await auth()
  const user = await currentUser() // expect: auth-result-unchecked
  await db.audit.create({ data: { email: user?.emailAddresses[0]?.emailAddress } })
  if (!userId) return new Response('Unauthorized', { status: 401 })
  await db.trial.create({ data: { userId } })
  return Response.json({ started: true })
}
