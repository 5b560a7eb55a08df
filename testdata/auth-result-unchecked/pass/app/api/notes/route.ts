import { auth, currentUser } from '@clerk/nextjs/server'

export async function GET() {
  const { userId } = await auth()
  if (!userId) return new Response(null, { status: 401 })
  return Response.json({ userId })
}

export async function POST() {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) return new Response(null, { status: 403 })
  return Response.json({ ok: true })
}

export async function PUT() {
  const session = await auth()
  return session.userId ? Response.json({ ok: true }) : new Response(null, { status: 401 })
}

export async function PATCH() {
  const { userId, redirectToSignIn } = await auth()
  if (!userId) return redirectToSignIn()
  const user = await currentUser()
  if (!user) return new Response(null, { status: 401 })
  return Response.json({ name: user.firstName })
}

export async function DELETE() {
  await auth.protect()
  return Response.json({ deleted: true })
}
