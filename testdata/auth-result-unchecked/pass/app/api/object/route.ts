import { auth, currentUser } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Values read off the auth object, or a user that is null when signed out: real checks.
export async function GET() {
  const session = await auth()
  if (!session.userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes(session.userId))
}

export async function POST() {
  const user = await currentUser()
  if (!user) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes(user.id))
}

// Values taken off the object in a later declaration are checked where they are tested.
export async function PUT() {
  const session = await auth()
  const { userId } = session
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes(userId))
}

export async function DELETE() {
  const session = await auth()
  const copy = session
  const owner = copy.userId
  if (owner === null) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes(owner))
}

// A role read through a cast and tested for membership.
export async function PATCH() {
  const { sessionClaims } = await auth()
  const role = (sessionClaims?.metadata as { role?: string })?.role
  if (!['admin', 'editor'].includes(role as string)) {
    return new Response('Forbidden', { status: 403 })
  }
  return Response.json(await db.notes())
}
