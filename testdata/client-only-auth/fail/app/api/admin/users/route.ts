import { clerkClient } from '@clerk/nextjs/server'

export async function GET() {
  const client = await clerkClient()
  return Response.json(await client.users.getUserList())
}
