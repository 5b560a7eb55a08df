import { auth, currentUser } from '@clerk/nextjs/server'

const db = { trial: { async create(_: unknown) {} } }

// The user object is fetched beside the id, and the id is tested before either is used.
export async function POST() {
  const { userId } = await auth()
  const user = await currentUser()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  await db.trial.create({ data: { userId, email: user?.emailAddresses[0]?.emailAddress } })
  return Response.json({ started: true })
}
