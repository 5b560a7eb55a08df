import { currentUser } from '@clerk/nextjs/server'

export async function GET() {
  const user = await currentUser()
  if (!user) return Response.json({ error: 'unauthorized' }, { status: 401 })
  return Response.json({ name: user.firstName })
}
