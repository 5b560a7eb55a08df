import { createClerkClient } from '@clerk/backend'
// Server code reads the secret: that is where it belongs.
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
export async function GET() {
  return Response.json(await clerk.users.getUserList())
}
