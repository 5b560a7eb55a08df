import { auth, clerkClient } from '@clerk/nextjs/server'

// Reads are not mutations.
export async function GET() {
  await auth.protect()
  const client = await clerkClient()
  const { data } = await client.users.getUserList({ limit: 10 })
  return Response.json(data.map((u) => u.id))
}
