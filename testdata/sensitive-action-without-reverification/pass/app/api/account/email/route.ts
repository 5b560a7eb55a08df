import { auth, clerkClient, reverificationErrorResponse } from '@clerk/nextjs/server'

export async function POST(req: Request) {
  const { userId, has } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  if (!has({ reverification: 'strict' })) {
    return reverificationErrorResponse('strict')
  }
  const { emailAddressId } = await req.json()
  const client = await clerkClient()
  const user = await client.users.updateUser(userId, { primaryEmailAddressID: emailAddressId })
  return Response.json({ primary: user.primaryEmailAddressId })
}
