import { auth, clerkClient } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { emailAddressId } = await req.json()
  const client = await clerkClient()
  const user = await client.users.updateUser(userId, { primaryEmailAddressID: emailAddressId }) // expect: sensitive-action-without-reverification
  return Response.json({ primary: user.primaryEmailAddressId })
}
