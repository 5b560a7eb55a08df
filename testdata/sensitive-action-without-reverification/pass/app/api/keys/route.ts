import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId } = await auth.protect({ reverification: 'strict' })
  const { name } = await req.json()
  const client = await clerkClient()
  const key = await client.apiKeys.create({ name, subject: userId })
  return Response.json({ id: key.id, secret: key.secret })
}

// Listing keys is not sensitive.
export async function GET() {
  const { userId } = await auth.protect()
  const client = await clerkClient()
  const keys = await client.apiKeys.list({ subject: userId })
  return Response.json(keys)
}
