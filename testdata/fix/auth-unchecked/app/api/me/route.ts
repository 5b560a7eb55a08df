import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function GET() {
  const { userId } = await auth()
  return Response.json(await db.user.findUnique({ where: { id: userId } }))
}
