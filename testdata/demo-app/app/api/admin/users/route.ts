import { auth, clerkClient } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

export async function DELETE(req: Request) {
  const { userId } = await auth()
  if (!userId) return new NextResponse('Unauthorized', { status: 401 })
  const { targetUserId } = await req.json()
  const client = await clerkClient()
  await client.users.deleteUser(targetUserId)
  return NextResponse.json({ deleted: targetUserId })
}
