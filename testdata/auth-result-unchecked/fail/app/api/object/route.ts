import { auth, getAuth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// The auth object is always truthy: testing it checks nobody.
export async function GET() {
  const session = await auth() // expect: auth-result-unchecked
  if (!session) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes())
}

export async function POST(req: Request) {
  const a = getAuth(req as never) // expect: auth-result-unchecked
  if (a) return Response.json(await db.notes())
  return new Response(null, { status: 401 })
}

// A copy of the object is the object: testing the copy checks nobody either.
export async function PUT() {
  const session = await auth() // expect: auth-result-unchecked
  const copy = session
  if (!copy) return new Response('Unauthorized', { status: 401 })
  return Response.json(await db.notes())
}

// Values taken off the object and never tested.
export async function DELETE() {
  const session = await auth() // expect: auth-result-unchecked
  const { userId } = session
  console.log(userId)
  return Response.json(await db.notes())
}

// The role is collected, never tested.
export async function PATCH() {
  const { sessionClaims } = await auth() // expect: auth-result-unchecked
  const role = (sessionClaims?.metadata as { role?: string })?.role
  const seen: string[] = []
  seen.push(role as string)
  return Response.json(await db.notes(seen))
}
