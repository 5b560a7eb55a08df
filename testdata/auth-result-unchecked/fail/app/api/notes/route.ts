import { auth, currentUser } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function GET() {
  const { userId } = await auth() // expect: auth-result-unchecked
  return Response.json(await db.notes(userId))
}

export async function POST() {
  await auth() // expect: auth-result-unchecked
  return Response.json({ ok: true })
}

export async function PUT() {
  const { userId } = auth() // expect: auth-result-unchecked
  if (!userId) return new Response(null, { status: 401 })
  return Response.json({ userId })
}

export async function DELETE() {
  auth().protect() // expect: auth-result-unchecked
  return Response.json({ deleted: true })
}

export async function PATCH() {
  const user = await currentUser() // expect: auth-result-unchecked
  return Response.json({ name: user?.firstName })
}
