import { auth } from '@clerk/nextjs/server'

// auth() is called, but nothing acts on a null userId.
export async function GET() { // expect: unprotected-route-handler
  const { userId } = await auth()
  return Response.json({ notes: await findNotes(userId) })
}

async function findNotes(owner: string | null) {
  return [owner]
}
