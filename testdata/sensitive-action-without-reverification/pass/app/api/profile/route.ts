import { auth, clerkClient } from '@clerk/nextjs/server'
import { cookies } from 'next/headers'

// Metadata without a role, and a cookie deleted: neither is sensitive.
export async function POST(req: Request) {
  const { userId } = await auth.protect()
  const { theme } = await req.json()
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { theme } })
  ;(await cookies()).delete('onboarding')
  return Response.json({ ok: true })
}
