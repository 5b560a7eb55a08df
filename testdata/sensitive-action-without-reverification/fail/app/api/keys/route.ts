import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId } = await auth.protect()
  const { name } = await req.json()
  const client = await clerkClient()
  const key = await client.apiKeys.create({ name, subject: userId }) // expect: sensitive-action-without-reverification
  return Response.json({ id: key.id, secret: key.secret })
}
